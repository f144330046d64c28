import type { CourseSource } from '../packaging/course-source.js';
import { t } from '../packaging/authoring.js';
import { lessons } from './lessons.js';

export const course: CourseSource = {
  code: 'CP-102',
  scormVersion: '2004',
  title: t('信息披露与收费、利率透明', 'Disclosure and transparent fees and rates'),
  description: t(
    '从宣传、销售到签约，把产品、风险、费用、利率和条款讲清楚、写明白。',
    'Making products, risks, fees, rates and terms clear, from advertising through the sale to the signed contract.',
  ),
  lessons,
};
