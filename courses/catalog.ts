// Every course we ship, in catalogue order.
import type { CourseSource } from './packaging/course-source.js';
import { course as cp101 } from './CP-101/course.js';
import { course as cp102 } from './CP-102/course.js';
import { course as cp103 } from './CP-103/course.js';
import { course as cp104 } from './CP-104/course.js';
import { course as cp105 } from './CP-105/course.js';
import { course as cp106 } from './CP-106/course.js';

export const shippedCourses: readonly CourseSource[] = [cp101, cp102, cp103, cp104, cp105, cp106];
