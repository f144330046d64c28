import type { CourseSource } from '../packaging/course-source.js';
import { t } from '../packaging/authoring.js';
import { lessons } from './lessons.js';

export const course: CourseSource = {
  code: 'CP-105',
  scormVersion: '2004',
  title: t('理财产品销售的适当性与风险揭示（含老年客户）', 'Suitability and risk disclosure in selling wealth products (including older customers)'),
  description: t(
    '了解客户、匹配产品、充分揭示风险，并为老年客户提供耐心、稳妥的服务。',
    'Knowing the customer, matching products, disclosing risk fully, and serving older customers patiently and safely.',
  ),
  lessons,
};
