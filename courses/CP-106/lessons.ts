import type { Lesson } from '../packaging/course-source.js';
import { bestOption, decision, dialogue, points, say, speaker, t, weakOption } from '../packaging/authoring.js';

const chen = speaker('staff', '陈经理（支行消保联络员）', 'Ms Chen (branch consumer-protection contact)');
const lin = speaker('staff', '柜员 小林', 'Lin (teller)');
const wu = speaker('staff', '大堂经理 小吴', 'Wu (lobby manager)');
const mrWei = speaker('customer', '客户 卫大爷', 'Mr Wei (elderly customer)');
const mrsYan = speaker('customer', '社区居民 严阿姨', 'Mrs Yan (local resident)');

export const lessons: Lesson[] = [
  {
    id: 'spot-scams',
    title: t('识别常见诈骗手法', 'Recognising common scams'),
    screens: [
      dialogue(
        t('晨会上的案例分享', 'Cases at the morning briefing'),
        t('晨会上，陈经理和大家梳理最近客户遇到的几类诈骗。', 'At the morning briefing, Ms Chen goes over the kinds of fraud customers have met recently.'),
        [
          say(chen, '第一类是冒充公检法，说客户涉案，要求把钱转到"安全账户"。', 'First, people posing as police, prosecutors or courts: they say the customer is implicated in a case and must move money to a "safe account".'),
          say(lin, '还有冒充客服的，说要"退款"或者"注销校园贷"，让客户共享屏幕、报验证码。', 'Then fake customer service: "refunds" or "cancelling a student loan", asking customers to share their screen or read out a verification code.'),
          say(wu, '投资理财类的也多：拉客户进群，先让小赚几笔，再诱导大额投入。', 'Investment scams too: they pull customers into chat groups, let them win a little, then coax them into putting in a lot.'),
          say(chen, '学生要特别留意"刷单返利""兼职"，还有出租、出借银行卡。', 'Students should watch especially for "click-farming rebates", "part-time jobs", and renting or lending out bank cards.'),
        ],
      ),
      points(t('诈骗的共同特征', 'What scams have in common'), [
        t('制造紧迫感："马上转账""不能告诉别人"。', 'Urgency: "transfer now", "tell no one".'),
        t('要求转账到"安全账户"或陌生账户；公检法机关不会通过电话要求转账。', 'Money to a "safe account" or a stranger\'s account; real police, prosecutors and courts never ask for transfers by phone.'),
        t('索要验证码、密码，或要求共享屏幕、下载陌生软件。', 'Asking for verification codes or passwords, or to share a screen or install unfamiliar apps.'),
        t('承诺高收益、无风险，或以"内部消息"为诱饵。', 'Promises of high, risk-free returns, or "inside information" as bait.'),
        t('要求出租、出借、出售银行卡或账户——这本身就可能违法。', 'Requests to rent, lend or sell a bank card or account — which may itself be illegal.'),
      ]),
      decision(
        t('学生的"兼职"', 'A student\'s "part-time job"'),
        t('大学生何同学来网点开一张新银行卡，说是"兼职公司"要求的，用来"走账"，还有报酬。你怎么做？', 'Student He wants to open a new bank card because a "part-time job company" asked him to, to "pass payments through" for a fee. What do you do?'),
        [
          weakOption(
            t('按正常流程开卡，用途是客户自己的事。', "Open the card as normal; what he does with it is his business."),
            t('开户时应当了解开户目的；为他人"走账"很可能是在帮助违法资金流转。', 'You should understand why an account is being opened; "passing payments through" for others very likely helps move illegal funds.'),
          ),
          bestOption(
            t('了解开户用途，告诉他出租、出借银行卡"走账"可能涉嫌违法，并按规定不为这种用途开户。', 'Ask what the account is for, explain that renting or lending a card to "pass payments through" may be illegal, and, as the rules require, do not open an account for that purpose.'),
            t('这样既防范了风险，也保护了学生本人。', 'That stops the risk and protects the student himself.'),
          ),
          weakOption(
            t('帮他开卡，但提醒他注意安全。', 'Open it but tell him to be careful.'),
            t('提醒抵消不了风险，这种用途的开户本身就不应办理。', "A warning doesn't offset the risk; an account for that purpose shouldn't be opened at all."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('急、密、转、码：紧迫、保密、转账、验证码，是诈骗的典型信号。', 'Urgency, secrecy, transfers and codes are the classic signs of a scam.'),
        t('公检法机关不会要求转账到"安全账户"。', 'The authorities never ask anyone to move money to a "safe account".'),
        t('开户要了解用途，银行卡不出租、不出借。', 'Understand why an account is opened; cards are never rented or lent out.'),
      ]),
    ],
  },
  {
    id: 'step-in',
    title: t('柜面和电话中的劝阻', 'Stepping in at the counter and on the phone'),
    screens: [
      dialogue(
        t('急着转账的卫大爷', 'Mr Wei is in a hurry'),
        t('老年客户卫大爷一边打电话，一边要求向外地一个陌生账户转一大笔钱，神色紧张。', 'Mr Wei, an elderly customer, is on his phone while asking to send a large sum to an unfamiliar account in another city. He looks anxious.'),
        [
          say(mrWei, '快点给我转，对方说今天不转我就要被抓了。', "Hurry up and send it. They say if I don't today, I'll be arrested."),
          say(lin, '卫大爷，您先别急。能告诉我对方是谁、为什么要您转账吗？', "Mr Wei, don't worry. Can you tell me who they are and why they want the money?"),
          say(mrWei, '说是公安局的，说我的账户涉嫌洗钱，要把钱转到安全账户核查。', 'They said they are the police, that my account is suspected of money laundering, and I must move the money to a safe account to be checked.'),
          say(lin, '大爷，公安机关不会打电话让您转账，也没有"安全账户"，这是典型的诈骗。我请主管过来，我们一起帮您核实，好吗？', "Mr Wei, the police never ask you to transfer money by phone, and there is no such thing as a \"safe account\". This is a classic scam. Let me ask my supervisor over and we'll check it together, all right?"),
        ],
      ),
      points(t('劝阻的步骤', 'How to step in'), [
        t('留意信号：神色紧张、边打电话边操作、向陌生账户大额转账、说不清用途。', 'Watch for signs: anxiety, being on the phone while transacting, large transfers to unfamiliar accounts, an unclear purpose.'),
        t('关心询问：用关心的语气了解转账对象和原因，不指责客户。', 'Ask with care who the money is for and why; never blame the customer.'),
        t('暂缓并升级：按行内反诈流程请主管协助，必要时暂缓办理。', "Pause and escalate: follow the bank's anti-fraud procedure with your supervisor, pausing the transaction if necessary."),
        t('联系与报警：经客户同意联系其家属；情况紧急时报警。', 'Contact and report: with the customer\'s agreement contact family; call the police if it is urgent.'),
        t('做好记录：按要求记录劝阻过程和结果。', 'Record it: note what was done and the outcome, as required.'),
      ]),
      decision(
        t('热线里的验证码', 'A code on the hotline'),
        t('客服热线接到客户来电："银行客服"让她报出手机收到的验证码，说要"解冻账户"。你怎么回应？', 'The hotline gets a call from a customer: "bank customer service" has asked her for the verification code on her phone to "unfreeze her account". How do you respond?'),
        [
          bestOption(
            t('明确告诉她不要透露验证码，银行不会索要验证码；帮她核实账户状态，必要时冻结或挂失，并提醒她报警。', 'Tell her clearly not to give out the code — the bank never asks for it; help her check her account, freeze it or report the card if needed, and suggest she calls the police.'),
            t('先阻止信息泄露，再帮客户保护账户。', 'Stop the disclosure first, then help her secure the account.'),
          ),
          weakOption(
            t('先问问对方说自己是哪个部门的，再决定。', 'Ask which department the caller claimed to be from, then decide.'),
            t('不论对方自称哪个部门，都不能索要验证码。犹豫会给骗子留出时间。', 'Whatever department they claim, no one should ask for the code. Hesitating gives the fraudster time.'),
          ),
          weakOption(
            t('告诉她按对方说的做，解冻账户要紧。', 'Tell her to do as they say; unfreezing the account matters most.'),
            t('这正是骗子想要的。泄露验证码可能导致资金被盗。', 'That is exactly what the fraudster wants. Giving out a code can lead to stolen money.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('关心询问，不指责客户。', 'Ask with care; never blame the customer.'),
        t('按反诈流程请主管协助，必要时暂缓、联系家属、报警。', 'Follow the anti-fraud procedure with your supervisor; pause, contact family or call the police when needed.'),
        t('验证码、密码，谁问都不能给。', 'Codes and passwords go to no one, whoever asks.'),
      ]),
    ],
  },
  {
    id: 'educate',
    title: t('客户教育与安全使用手机银行', 'Customer education and safe mobile banking'),
    screens: [
      dialogue(
        t('社区金融知识讲座', 'A talk in the community'),
        t('支行到社区开展金融知识讲座，大堂经理小吴给老年居民讲手机银行安全。', 'The branch runs a financial-literacy talk in the community. Wu, the lobby manager, explains mobile banking safety to older residents.'),
        [
          say(mrsYan, '手机银行方便是方便，就怕被骗。', "Mobile banking is handy, but I'm afraid of being scammed."),
          say(wu, '记住几条：只从官方渠道下载我行手机银行；验证码、密码谁问都不给；陌生链接不点。', 'Remember a few things: get our app only from official channels; never give your code or password to anyone; never tap unknown links.'),
          say(mrsYan, '那接到说是银行打来的电话呢？', 'And if someone calls saying they are the bank?'),
          say(wu, '先挂掉，再自己拨打我行官方客服电话核实。拿不准的时候，就来网点问我们。', "Hang up, then call our official customer service number yourself to check. If you're unsure, come to the branch and ask us."),
        ],
      ),
      points(t('做好客户教育', 'Good customer education'), [
        t('结合真实场景，语言简单，针对老年人、学生等不同群体。', 'Use real-life scenes and simple language, tailored to groups such as older people and students.'),
        t('在网点、线上和社区持续开展，不只在活动日。', 'Keep it going at the branch, online and in the community, not only on campaign days.'),
        t('教会客户"三不"：不轻信、不透露、不转账；有疑问先核实。', "Teach the three nos: don't trust blindly, don't disclose, don't transfer; check first when in doubt."),
        t('使用经审核的宣传材料，不夸大、不制造恐慌。', "Use approved materials; don't exaggerate or spread fear."),
      ]),
      decision(
        t('讲座上的提问', 'A question at the talk'),
        t('讲座上，一位学生问："把银行卡借给同学用几天，收点钱，有问题吗？"你怎么回答？', 'At a talk, a student asks: "Is it a problem if I lend my card to a classmate for a few days for a bit of money?" How do you answer?'),
        [
          weakOption(
            t('"只要是熟人就没关系。"', '"It\'s fine if you know them."'),
            t('熟人也可能被人利用；银行卡一旦被用于违法资金流转，持卡人可能要承担法律责任。', 'Friends can be used by others too; if the card moves illegal money, the cardholder may be legally liable.'),
          ),
          bestOption(
            t('说明出租、出借的银行卡可能被用于违法活动，持卡人可能承担法律责任，应当保管好自己的卡和账户。', 'Explain that rented or lent cards may be used for crime, that the cardholder may be legally liable, and that they should keep their own card and account safe.'),
            t('把后果讲清楚，学生才能作出安全的选择。', 'Clear consequences help students make safe choices.'),
          ),
          weakOption(
            t('"这是个人的事，银行不便回答。"', '"That\'s a personal matter; the bank can\'t comment."'),
            t('这正是客户教育要回答的问题，回避就错过了一次提醒的机会。', "This is exactly what customer education is for; dodging it wastes a chance to warn."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('客户教育是受教育权的体现，也是最有效的防骗手段之一。', 'Customer education delivers the right to education and is one of the best defences against fraud.'),
        t('不轻信、不透露、不转账；有疑问，先核实。', "Don't trust blindly, don't disclose, don't transfer; check first."),
        t('针对不同客户群体，用他们听得懂的方式讲。', 'Speak to each group of customers in a way they understand.'),
      ]),
    ],
  },
];
