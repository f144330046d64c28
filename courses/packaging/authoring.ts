// Small constructors that keep the course sources readable: one call per screen or question,
// option ids derived from position (a, b, c …) so authors only name the correct letters.
import type {
  ChoiceQuestion,
  DecisionOption,
  DecisionScreen,
  DialogueLine,
  DialogueScreen,
  LocalText,
  PointsScreen,
  Speaker,
  SpeakerRole,
  TrueFalseQuestion,
} from './course-source.js';

export function t(zh: string, en: string): LocalText {
  return { zh, en };
}

export function speaker(role: SpeakerRole, zh: string, en: string): Speaker {
  return { role, name: { zh, en } };
}

export function say(who: Speaker, zh: string, en: string): DialogueLine {
  return { speaker: who, text: { zh, en } };
}

export function dialogue(heading: LocalText, scene: LocalText, lines: DialogueLine[]): DialogueScreen {
  return { kind: 'dialogue', heading, scene, lines };
}

export function points(heading: LocalText, items: LocalText[], intro?: LocalText): PointsScreen {
  return intro ? { kind: 'points', heading, intro, points: items } : { kind: 'points', heading, points: items };
}

export function decision(heading: LocalText, prompt: LocalText, options: DecisionOption[]): DecisionScreen {
  return { kind: 'decision', heading, prompt, options };
}

export function bestOption(text: LocalText, feedback: LocalText): DecisionOption {
  return { text, feedback, isBest: true };
}

export function weakOption(text: LocalText, feedback: LocalText): DecisionOption {
  return { text, feedback, isBest: false };
}

const LETTERS = 'abcdefghij';

function lettered(options: LocalText[]) {
  return options.map((text, index) => ({ id: LETTERS.charAt(index), text }));
}

/** One correct answer, given as its letter ('b'). */
export function single(id: string, prompt: LocalText, options: LocalText[], correct: string, explanation: LocalText): ChoiceQuestion {
  return { id, type: 'single', prompt, options: lettered(options), correct: [correct], explanation };
}

/** Several correct answers, given as their letters ('acd'). */
export function multiple(id: string, prompt: LocalText, options: LocalText[], correct: string, explanation: LocalText): ChoiceQuestion {
  return { id, type: 'multiple', prompt, options: lettered(options), correct: correct.split(''), explanation };
}

export function trueFalse(id: string, prompt: LocalText, answer: boolean, explanation: LocalText): TrueFalseQuestion {
  return { id, type: 'true-false', prompt, answer, explanation };
}
