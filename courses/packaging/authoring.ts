// Small constructors that keep the course sources readable: one call per screen.
import type {
  DecisionOption,
  DecisionScreen,
  DialogueLine,
  DialogueScreen,
  LocalText,
  PointsScreen,
  Speaker,
  SpeakerRole,
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
