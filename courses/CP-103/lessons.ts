import type { Lesson } from '../packaging/course-source.js';
import { bestOption, decision, dialogue, points, say, speaker, t, weakOption } from '../packaging/authoring.js';

const lin = speaker('staff', '柜员 小林', 'Lin (teller)');
const xu = speaker('staff', '客服专员 小许', 'Xu (customer service)');
const chen = speaker('staff', '陈经理（支行消保联络员）', 'Ms Chen (branch consumer-protection contact)');
const he = speaker('staff', '网点负责人 老何', 'Mr He (outlet manager)');
const mrFeng = speaker('customer', '客户 冯先生', 'Mr Feng (customer)');
const msMa = speaker('customer', '客户 马女士', 'Ms Ma (customer)');

export const lessons: Lesson[] = [
  {
    id: 'first-contact',
    title: t('首次接触：倾听、致歉与记录', 'First contact: listen, acknowledge, record'),
    screens: [
      dialogue(
        t('被扣了两次的年费', 'An annual fee charged twice'),
        t('客户冯先生拿着手机来到柜台：他的一笔年费被扣了两次。', 'Mr Feng comes to the counter holding his phone: an annual fee has been taken from his account twice.'),
        [
          say(mrFeng, '你们怎么回事？同一笔年费扣了两次！', "What's going on? You've charged me the same annual fee twice!"),
          say(lin, '冯先生，给您添麻烦了。请您慢慢说，我先把情况记下来。', "Mr Feng, I'm sorry for the trouble. Please tell me what happened and I'll note it down."),
          say(mrFeng, '我上个月就发现了，打电话也没人说清楚。', 'I noticed last month, and nobody on the phone could explain it.'),
          say(lin, '明白，这确实让人着急。我核对一下扣费记录，同时登记您的投诉，再告诉您接下来怎么处理。', "I understand, that's frustrating. I'll check the charges, log your complaint and then tell you what happens next."),
        ],
      ),
      points(t('首次接触怎么做', 'Handling first contact'), [
        t('首问负责：第一个接待客户的员工负责受理，不说"这不归我管"。', 'First contact owns it: whoever the customer speaks to first takes the complaint. Never say "that\'s not my department".'),
        t('先倾听，不打断、不争辩；对客户的感受表示理解。', "Listen first; don't interrupt or argue; acknowledge how the customer feels."),
        t('记录要点：客户身份和联系方式、事情经过、诉求和时间。', 'Record the essentials: who the customer is and how to reach them, what happened, what they want, and when.'),
        t('能当场解决的当场解决；不能的，说明后续流程。', "Resolve it on the spot if you can; if you can't, explain what happens next."),
      ]),
      decision(
        t('客户越说越激动', 'The customer is getting louder'),
        t('冯先生越说越激动，声音很大，其他客户都看了过来。你怎么做？', 'Mr Feng grows more upset and louder; other customers are turning to look. What do you do?'),
        [
          weakOption(
            t('告诉他："您再这样，我就叫保安了。"', 'Tell him: "If you carry on like this, I\'ll call security."'),
            t('威胁只会让矛盾升级。只有出现危及安全的行为时，才按安全预案处理。', 'Threats escalate things. Security procedures are for behaviour that puts people at risk.'),
          ),
          bestOption(
            t('保持平和，请他到洽谈区坐下，请大堂经理协助，继续了解情况。', 'Stay calm, invite him to sit in the meeting area, ask the lobby manager to help, and keep listening.'),
            t('换到安静的地方、有同事协助，既能缓和情绪，也保护了其他客户的隐私和秩序。', "A quieter spot and a colleague's help calm things down and protect other customers' privacy and the queue."),
          ),
          weakOption(
            t('为了尽快平息，先口头承诺全额赔偿。', 'Promise full compensation straight away to calm him down.'),
            t('事实没查清就作承诺，可能无法兑现，反而引发新的投诉。', 'A promise made before the facts are checked may be impossible to keep and leads to a new complaint.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('第一句话决定了后面的走向：先致歉、先倾听。', 'The first words set the tone: acknowledge and listen first.'),
        t('不争辩、不推诿、不乱承诺。', "Don't argue, don't deflect, don't over-promise."),
        t('每一件投诉都要记录下来。', 'Every complaint gets recorded.'),
      ]),
    ],
  },
  {
    id: 'logging',
    title: t('受理与分派：电话和线上渠道', 'Logging and routing: phone and online'),
    screens: [
      dialogue(
        t('一通电话投诉', 'A complaint by phone'),
        t('客服专线接到马女士的电话：她用手机银行转账失败，却被扣了手续费。', 'The customer service line takes a call from Ms Ma: a mobile banking transfer failed, but she was still charged a fee.'),
        [
          say(xu, '马女士您好，我先核实一下您的身份，然后详细记录您遇到的问题。', "Hello Ms Ma. I'll verify your identity first, then note down the problem in detail."),
          say(msMa, '转账没成功，手续费倒先扣了。我今天就要个说法。', 'The transfer failed but the fee was taken. I want an answer today.'),
          say(xu, '您的投诉已经登记，并转给负责的部门核查。按我行的投诉处理制度，我们会在规定时限内答复您，处理进度也可以在手机银行里查看。', "Your complaint is logged and passed to the team responsible. Under our complaint-handling policy we'll reply within the set time, and you can follow progress in the mobile banking app."),
          say(msMa, '好，那我等你们的答复。', "Fine, I'll wait for your reply."),
        ],
      ),
      points(t('受理与分派', 'Logging and routing'), [
        t('柜面、电话、手机银行、信函等各渠道的投诉都要登记，统一编号，全程可追溯。', 'Log complaints from every channel — counter, phone, mobile banking, letters — under one reference number, traceable end to end.'),
        t('告诉客户已经受理、处理流程和答复时限（按行内投诉处理制度）。', "Tell the customer it has been logged, how it will be handled and when they will hear back (as the bank's complaint policy sets out)."),
        t('按问题类型分派给负责部门；网点消保联络员跟踪进度。', "Route it to the team responsible; the branch consumer-protection contact follows its progress."),
        t('不因为"金额小"或"客户态度不好"而不登记。', "Never skip logging because the amount is small or the customer was rude."),
      ]),
      decision(
        t('"我就是说说"', '"I\'m just saying"'),
        t('一位客户在柜台抱怨手机银行的页面不好用，又说："我就是说说，不用登记。"你怎么做？', 'At the counter, a customer complains that the mobile banking app is hard to use, then adds: "I\'m just saying, no need to log it." What do you do?'),
        [
          bestOption(
            t('征得客户同意后，作为意见建议记录下来，转给相关部门。', 'With his agreement, record it as feedback and pass it to the team concerned.'),
            t('客户的意见是改进服务的线索，记录下来才会被看到。', 'Feedback shows where to improve, and it is only seen if it is recorded.'),
          ),
          weakOption(
            t('既然客户说不用，就不记录。', "He said not to, so don't record it."),
            t('即使不作为正式投诉，也应当作为意见建议记录，便于发现共性问题。', "Even if it isn't a formal complaint, record it as feedback so common problems can be spotted."),
          ),
          weakOption(
            t('告诉他手机银行不归网点管。', "Tell him mobile banking isn't the branch's business."),
            t('客户不需要了解我们的部门分工，网点应当受理并转交。', "Customers shouldn't need to know our org chart; the branch takes it and passes it on."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('每个渠道、每一件投诉都登记，做到可追溯。', 'Every complaint from every channel is logged and traceable.'),
        t('让客户知道：谁在处理、怎么处理、什么时候答复。', 'Tell the customer who is handling it, how, and when they will hear back.'),
        t('"小意见"也值得记录。', 'Small comments are worth recording too.'),
      ]),
    ],
  },
  {
    id: 'resolving',
    title: t('调查与答复', 'Investigating and replying'),
    screens: [
      dialogue(
        t('给冯先生的答复', 'The reply to Mr Feng'),
        t('核查发现，冯先生的年费因为系统批处理问题被重复扣收。陈经理给冯先生打电话答复。', "The check shows Mr Feng's annual fee was taken twice because of a batch-processing fault. Ms Chen calls him with the answer."),
        [
          say(chen, '冯先生，经过核查，重复扣收是我们系统处理的问题，多扣的费用已经退回您的账户。', 'Mr Feng, we have checked: the double charge was caused by our system, and the extra fee has been refunded to your account.'),
          say(mrFeng, '以后还会不会再出现？', 'Will it happen again?'),
          say(chen, '我们已经把问题报给技术部门排查修复。给您带来不便，非常抱歉。', "We've reported it to our technology team to find and fix the cause. We're very sorry for the inconvenience."),
          say(chen, '如果您对处理结果有不同意见，可以向我们申请复核，也可以通过调解等外部渠道依法解决。', 'If you disagree with the outcome, you can ask us for a review, or pursue it through external channels such as mediation, as the law allows.'),
          say(mrFeng, '好，说清楚了就行。', "All right. As long as it's been explained."),
        ],
      ),
      points(t('好的答复', 'A good reply'), [
        t('以事实为依据：查清经过、原因和责任。', 'Based on facts: what happened, why, and who is responsible.'),
        t('用客户听得懂的话，说清结论、依据和处理措施。', 'State the conclusion, the grounds and the remedy in plain words.'),
        t('属于银行责任的，依法依规及时纠正和补偿。', 'Where the bank is at fault, correct it and compensate promptly, as the law and rules require.'),
        t('告知客户不满意时可以申请复核，或通过调解、仲裁、诉讼等途径依法解决。', 'Tell the customer that if they are not satisfied they can ask for a review, or use mediation, arbitration or the courts as the law allows.'),
      ]),
      decision(
        t('不是银行的差错', 'Not a bank error'),
        t('核查发现，客户投诉的那笔扣款，是他本人授权保险公司代扣的保费，并非银行差错。你怎么答复？', 'The check shows the disputed debit is an insurance premium the customer himself authorised the insurer to collect — not a bank error. How do you reply?'),
        [
          weakOption(
            t('简单告诉他"不是我们的问题"，结束处理。', 'Just tell him "it\'s not our fault" and close the case.'),
            t('结论没错，但客户的问题没有解决。应当说明依据，并告诉他怎么处理。', "The conclusion is right, but his problem isn't solved. Explain the grounds and how he can deal with it."),
          ),
          bestOption(
            t('说明核查结果和依据，告诉他如何查询授权记录、联系保险公司或取消代扣。', 'Explain the finding and its grounds, and show him how to check the authorisation, contact the insurer or cancel the direct debit.'),
            t('即使银行没有过错，也要把事情讲清楚、把路指明白。', "Even when the bank isn't at fault, explain clearly and show the way forward."),
          ),
          weakOption(
            t('为了省事，直接把钱退给客户。', 'To avoid trouble, just refund the money.'),
            t('没有依据的退款解决不了问题，还会掩盖真实情况。', 'A refund with no basis solves nothing and hides what really happened.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('答复要有事实、有依据、有措施。', 'A reply needs facts, grounds and a remedy.'),
        t('银行有错就认、就改、就补偿。', 'When the bank is wrong, admit it, fix it and compensate.'),
        t('始终告诉客户还有哪些途径可以寻求解决。', 'Always tell the customer what other routes to a solution remain open.'),
      ]),
    ],
  },
  {
    id: 'improving',
    title: t('回访与改进', 'Follow-up and improvement'),
    screens: [
      dialogue(
        t('每月投诉分析会', 'The monthly complaint review'),
        t('支行召开投诉分析会，陈经理和网点负责人老何一起看上个月的投诉记录。', "At the monthly complaint review, Ms Chen and Mr He, the outlet manager, go through last month's complaints."),
        [
          say(chen, '上个月有好几件投诉，都和手机银行转账失败后扣费有关。', 'Several complaints last month were about fees charged on failed mobile transfers.'),
          say(he, '单看每一件都不大，放在一起就是共性问题。', "Each one looks minor, but together they're a pattern."),
          say(chen, '我会把这个问题报给消保部和技术部门，跟进整改。另外，回访时有两位客户说答复太笼统。', "I'll report it to the consumer-protection department and the technology team and follow up the fix. Also, on follow-up calls two customers said our replies were too vague."),
          say(he, '那我们下周组织一次答复沟通的培训。', "Then let's run a session on writing clear replies next week."),
        ],
      ),
      points(t('形成闭环', 'Closing the loop'), [
        t('回访客户：确认问题已经解决，听取对处理过程的评价。', 'Follow up with the customer: confirm the problem is fixed and ask how the handling felt.'),
        t('定期分析投诉：找出共性问题和根本原因，推动流程和产品改进。', 'Analyse complaints regularly: find patterns and root causes, and drive changes to processes and products.'),
        t('内部监督：消保部门检查投诉处理是否及时、规范。', 'Internal supervision: the consumer-protection department checks that complaints were handled promptly and properly.'),
        t('不为减少投诉数量而隐瞒或劝阻投诉。', 'Never hide or discourage complaints to bring the numbers down.'),
      ]),
      decision(
        t('回访电话', 'The follow-up call'),
        t('回访时，客户说问题已经解决，但抱怨等了很久才有人联系他。你怎么做？', 'On a follow-up call, the customer says the problem is fixed but complains that he waited a long time to hear from anyone. What do you do?'),
        [
          bestOption(
            t('向客户致歉，记录这条反馈，并在投诉分析中提出改进响应速度。', 'Apologise, record the feedback, and raise response times at the complaint review.'),
            t('发现流程中的问题，正是回访的价值。', 'Finding problems in the process is the whole point of a follow-up.'),
          ),
          weakOption(
            t('告诉他问题已经解决了，不必再计较。', "Tell him it's solved, so there's no need to dwell on it."),
            t('客户对处理过程的评价同样重要，忽视它就错过了改进的机会。', 'His view of the process matters too; ignoring it wastes a chance to improve.'),
          ),
          weakOption(
            t('解释说只要在时限内答复，就不算慢。', "Explain that a reply within the time limit can't be called slow."),
            t('符合时限是底线，不是目标。客户的感受值得认真对待。', 'Meeting the time limit is the minimum, not the goal. His experience deserves to be taken seriously.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('解决了一件投诉，还要问：同样的问题还会发生吗？', 'Once a complaint is resolved, ask: could the same thing happen again?'),
        t('回访、分析、整改、监督，缺一不可。', 'Follow-up, analysis, fixes and supervision: each one is needed.'),
        t('投诉少不是目标，客户满意才是。', 'Fewer complaints is not the goal; satisfied customers are.'),
      ]),
    ],
  },
];
