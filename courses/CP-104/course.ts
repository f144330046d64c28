import type { CourseSource } from '../packaging/course-source.js';
import { t } from '../packaging/authoring.js';
import { lessons } from './lessons.js';

export const course: CourseSource = {
  code: 'CP-104',
  scormVersion: '2004',
  title: t('保护客户个人信息', "Protecting customers' personal information"),
  description: t(
    '收集和使用客户信息的原则、日常工作中的保密细节，以及可疑请求和信息泄露的处置。',
    'Principles for collecting and using customer information, confidentiality in daily work, and what to do about suspicious requests and data incidents.',
  ),
  lessons,
};
