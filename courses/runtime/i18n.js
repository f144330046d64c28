/*
 * Interface wording in both languages and the language choice. Course text itself arrives as
 * { zh, en } pairs in the page's data; pick() chooses the right half.
 */
(function (window) {
  'use strict';
  const Ruihe = (window.Ruihe = window.Ruihe || {});

  const UI = {
    zh: {
      htmlLang: 'zh-CN',
      skipToContent: '跳到正文',
      notRecorded: '未连接学习管理系统：本页可以浏览，但学习进度不会被记录。',
      lessonOf: (n, total) => '第 ' + n + ' 课，共 ' + total + ' 课',
      screenOf: (n, total) => '第 ' + n + ' 页，共 ' + total + ' 页',
      pageNavigation: '翻页',
      previous: '上一页',
      next: '下一页',
      scene: '场景',
      keyPoints: '要点',
      decisionTitle: '你的判断',
      checkAnswer: '确认选择',
      chooseFirst: '请先选择一个选项。',
      answerDecisionFirst: '请先完成本页的判断，再继续。',
      bestChoice: '最佳做法。',
      notBestChoice: '不是最佳做法。',
      lessonDone: '本课已完成。',
      nextLesson: '进入下一课',
      continueInLms: '继续下一部分',
      continueHint: '如果下一部分没有自动打开，请使用课程目录继续。',
      sessionEnded: '本次学习已结束，进度已保存。可以关闭此页面。',
      finish: '完成并退出',
      loading: '正在加载课程……',
    },
    en: {
      htmlLang: 'en',
      skipToContent: 'Skip to content',
      notRecorded: 'Not connected to the learning system: you can browse this page, but your progress is not recorded.',
      lessonOf: (n, total) => 'Lesson ' + n + ' of ' + total,
      screenOf: (n, total) => 'Page ' + n + ' of ' + total,
      pageNavigation: 'Page navigation',
      previous: 'Previous',
      next: 'Next',
      scene: 'Scene',
      keyPoints: 'Key points',
      decisionTitle: 'Your call',
      checkAnswer: 'Check my choice',
      chooseFirst: 'Choose an option first.',
      answerDecisionFirst: 'Make your choice on this page before you continue.',
      bestChoice: 'Best practice.',
      notBestChoice: 'Not the best choice.',
      lessonDone: 'You have completed this lesson.',
      nextLesson: 'Next lesson',
      continueInLms: 'Continue',
      continueHint: 'If the next part does not open by itself, use the course menu.',
      sessionEnded: 'This session has ended and your progress is saved. You can close this page.',
      finish: 'Finish and exit',
      loading: 'Loading the course…',
    },
  };

  /** `en`, `en-US`, `EN-gb` … → English; anything else (including empty) → Simplified Chinese. */
  function chooseLanguage(preference) {
    return /^en/i.test(String(preference || '').trim()) ? 'en' : 'zh';
  }

  function createI18n(language) {
    const ui = UI[language];
    return {
      language,
      ui,
      pick(text) {
        if (!text) return '';
        return text[language] || text.zh || '';
      },
    };
  }

  Ruihe.chooseLanguage = chooseLanguage;
  Ruihe.createI18n = createI18n;
})(window);
