import type { CourseSource } from '../packaging/course-source.js';
import { t } from '../packaging/authoring.js';
import { lessons } from './lessons.js';

export const course: CourseSource = {
  code: 'CP-103',
  scormVersion: '2004',
  title: t('投诉处理：从首次接触到解决', 'Complaint handling: from first contact to resolution'),
  description: t(
    '柜面、电话和线上投诉的受理、分派、调查、答复、回访与改进。',
    'Taking, routing, investigating, answering and following up complaints from the counter, the phone and online, and learning from them.',
  ),
  lessons,
};
