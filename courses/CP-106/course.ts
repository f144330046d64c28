import type { CourseSource } from '../packaging/course-source.js';
import { t } from '../packaging/authoring.js';
import { lessons } from './lessons.js';

// Shipped as SCORM 1.2 (one SCO with every lesson; the exam is the LMS's) so LMSs without
// SCORM 2004 sequencing can run at least one course of the curriculum.
export const course: CourseSource = {
  code: 'CP-106',
  scormVersion: '1.2',
  title: t('防范诈骗与客户教育', 'Fraud prevention and customer education'),
  description: t(
    '识别常见诈骗手法，在柜面和电话中及时劝阻，并面向老年人、学生等客户开展金融知识教育。',
    'Recognising common scams, stepping in at the counter and on the phone, and educating customers such as older people and students.',
  ),
  lessons,
};
