// The shape of a course as authored under courses/<code>/. Every learner-facing string is a
// LocalText so a missing translation is a type error, not a blank screen.

export interface LocalText {
  /** Simplified Chinese (zh-CN), the default language. */
  zh: string;
  en: string;
}

export type SpeakerRole = 'staff' | 'customer' | 'other';

export interface Speaker {
  role: SpeakerRole;
  name: LocalText;
}

export interface DialogueLine {
  speaker: Speaker;
  text: LocalText;
}

export interface DialogueScreen {
  kind: 'dialogue';
  heading: LocalText;
  /** Where and when the scene happens, one sentence. */
  scene: LocalText;
  lines: DialogueLine[];
}

export interface PointsScreen {
  kind: 'points';
  heading: LocalText;
  intro?: LocalText;
  points: LocalText[];
}

export interface DecisionOption {
  text: LocalText;
  feedback: LocalText;
  isBest: boolean;
}

export interface DecisionScreen {
  kind: 'decision';
  heading: LocalText;
  prompt: LocalText;
  options: DecisionOption[];
}

export type LessonScreen = DialogueScreen | PointsScreen | DecisionScreen;

export interface Lesson {
  /** Short, stable, URL-safe: used in file names, locations and objective ids. */
  id: string;
  title: LocalText;
  screens: LessonScreen[];
}

export type CourseScormVersion = '1.2' | '2004';

export interface CourseSource {
  /** Course code, also the zip name and the manifest identifier stem, e.g. CP-101. */
  code: string;
  scormVersion: CourseScormVersion;
  title: LocalText;
  description: LocalText;
  lessons: Lesson[];
}
