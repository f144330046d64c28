import type { CourseSource } from '../packaging/course-source.js';
import { t } from '../packaging/authoring.js';
import { lessons } from './lessons.js';

export const course: CourseSource = {
  code: 'CP-101',
  scormVersion: '2004',
  title: t('金融消费者的八项权利与银行的责任', "The eight rights of financial consumers and the bank's duties"),
  description: t(
    '用网点里的真实情境讲清八项权利的含义，以及瑞和银行在内部管理、服务流程、风险防范和客户教育方面的责任。',
    "What each of the eight rights means in everyday branch work, and what Ruihe Bank does about internal management, service processes, risk prevention and customer education.",
  ),
  lessons,
};
