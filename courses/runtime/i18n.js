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
      notRecorded: '未连接学习管理系统：本页可以浏览，但学习进度和考试成绩不会被记录。',
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
      goToExam: '进入考试',
      backToLessons: '返回课程',
      examTitle: '结业考试',
      examAbout: '考试说明',
      previousQuestion: '上一题',
      nextQuestion: '下一题',
      examIntro: (count, bank, pass) =>
        '本次考试从 ' + bank + ' 道题的题库中随机抽取 ' + count + ' 题，满分 100 分，' + pass + ' 分及格。未通过可以重新考试，每次重新抽题。',
      examLocked: '请先完成全部课程，再参加考试。',
      startExam: '开始考试',
      resumeExam: '继续答题',
      questionOf: (n, total) => '第 ' + n + ' 题，共 ' + total + ' 题',
      selectAll: '（多选：选出所有正确答案）',
      selectOne: '（单选）',
      trueLabel: '正确',
      falseLabel: '错误',
      trueFalseHint: '（判断题）',
      review: '检查并交卷',
      reviewTitle: '交卷前检查',
      answeredCount: (done, total) => '已答 ' + done + ' 题，共 ' + total + ' 题。',
      unansweredWarning: (n) => '还有 ' + n + ' 题未作答，交卷后按答错计分。',
      goToQuestion: (n) => '回到第 ' + n + ' 题',
      unanswered: '未作答',
      submit: '交卷',
      resultTitle: '考试结果',
      scoreLine: (score, pass) => '得分：' + score + ' 分（满分 100 分，及格线 ' + pass + ' 分）',
      passed: '通过',
      failed: '未通过',
      passedMessage: '恭喜，你已通过本课程考试。成绩已提交。',
      failedMessage: '本次未通过。请复习下面的解析，然后重新考试。',
      correct: '回答正确',
      incorrect: '回答错误',
      yourAnswer: '你的答案：',
      noAnswer: '未作答',
      explanation: '解析：',
      retry: '重新考试（重新抽题）',
      finish: '完成并退出',
      loading: '正在加载课程……',
    },
    en: {
      htmlLang: 'en',
      skipToContent: 'Skip to content',
      notRecorded: 'Not connected to the learning system: you can browse this page, but your progress and exam result are not recorded.',
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
      goToExam: 'Go to the exam',
      backToLessons: 'Back to the lessons',
      examTitle: 'Final exam',
      examAbout: 'About the exam',
      previousQuestion: 'Previous question',
      nextQuestion: 'Next question',
      examIntro: (count, bank, pass) =>
        count + ' questions are drawn at random from a bank of ' + bank + '. The maximum score is 100 and the pass mark is ' + pass + '. If you do not pass, you can retry with a new set of questions.',
      examLocked: 'Complete all the lessons before you take the exam.',
      startExam: 'Start the exam',
      resumeExam: 'Resume the exam',
      questionOf: (n, total) => 'Question ' + n + ' of ' + total,
      selectAll: '(Multiple response: select every correct answer)',
      selectOne: '(Single choice)',
      trueLabel: 'True',
      falseLabel: 'False',
      trueFalseHint: '(True or false)',
      review: 'Review and submit',
      reviewTitle: 'Check before you submit',
      answeredCount: (done, total) => done + ' of ' + total + ' questions answered.',
      unansweredWarning: (n) => n + (n === 1 ? ' question is' : ' questions are') + ' unanswered and will be marked incorrect.',
      goToQuestion: (n) => 'Go to question ' + n,
      unanswered: 'Unanswered',
      submit: 'Submit',
      resultTitle: 'Your result',
      scoreLine: (score, pass) => 'Score: ' + score + ' out of 100 (pass mark ' + pass + ')',
      passed: 'Passed',
      failed: 'Not passed',
      passedMessage: 'Congratulations, you have passed the exam for this course. Your result has been submitted.',
      failedMessage: 'You did not pass this time. Review the explanations below, then retry.',
      correct: 'Correct',
      incorrect: 'Incorrect',
      yourAnswer: 'Your answer: ',
      noAnswer: 'No answer',
      explanation: 'Explanation: ',
      retry: 'Retry with new questions',
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
