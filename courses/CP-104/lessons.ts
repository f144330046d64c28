import type { Lesson } from '../packaging/course-source.js';
import { bestOption, decision, dialogue, points, say, speaker, t, weakOption } from '../packaging/authoring.js';

const lin = speaker('staff', '柜员 小林', 'Lin (teller)');
const song = speaker('staff', '新同事 小宋', 'Song (new colleague)');
const wu = speaker('staff', '大堂经理 小吴', 'Wu (lobby manager)');
const chen = speaker('staff', '陈经理（支行消保联络员）', 'Ms Chen (branch consumer-protection contact)');
const studentHe = speaker('customer', '大学生 何同学', 'He (university student)');
const caller = speaker('other', '来电者', 'Caller');

export const lessons: Lesson[] = [
  {
    id: 'collect-use',
    title: t('收集与使用：最少必要、告知同意', 'Collecting and using: minimum necessary, informed consent'),
    screens: [
      dialogue(
        t('开户表上的选填项', 'Optional fields on the account form'),
        t('大学生何同学来开立借记卡账户。新同事小宋打算让他把表格上的选填项全部填上。', 'Student He is opening a debit account. Song, a new colleague, wants him to fill in every optional field on the form.'),
        [
          say(song, '工作单位、家庭收入、父母电话……都填上吧，以后营销用得着。', "Employer, household income, parents' phone numbers — fill them all in, they'll be useful for marketing."),
          say(lin, '开户只需要必要的信息。选填项要说明用途，由客户自己决定填不填。', 'Opening an account needs only the necessary information. For optional fields, explain what they are for and let the customer decide.'),
          say(studentHe, '我父母的电话也要填吗？', "Do I have to give my parents' numbers too?"),
          say(lin, '不是必须的。如果您愿意留一位紧急联系人，我们只在您的账户出现异常、需要联系您时使用。', "No, it's not required. If you'd like to give an emergency contact, we'd only use it to reach you about a problem with your account."),
        ],
      ),
      points(t('收集和使用的原则', 'Principles for collecting and using'), [
        t('最少必要：只收集办理业务所必需的信息。', 'Minimum necessary: collect only what the service requires.'),
        t('告知同意：说明收集的目的、方式和范围，取得客户同意；选填项由客户自主决定。', "Informed consent: explain why, how and what you collect, and get the customer's agreement; optional fields are the customer's choice."),
        t('用途限定：只在告知的用途内使用，不挪作他用。', 'Purpose limitation: use it only for the stated purpose.'),
        t('不得非法买卖、提供或泄露客户信息。', 'Never sell, supply or leak customer information unlawfully.'),
      ]),
      decision(
        t('合作机构要名单', 'A partner wants a list'),
        t('一家合作的保险代理公司请你提供一份"有理财需求的客户名单"，说能给网点带来业绩。你怎么做？', 'A partner insurance agency asks you for a list of "customers interested in investing", saying it will boost the branch\'s results. What do you do?'),
        [
          weakOption(
            t('只提供姓名和电话，不提供账户信息。', 'Give names and phone numbers only, no account details.'),
            t('姓名和电话同样是个人信息，未经客户同意不能提供给第三方。', "Names and numbers are personal information too; they can't go to a third party without consent."),
          ),
          weakOption(
            t('先提供名单，再请对方签保密承诺。', 'Hand over the list and ask the agency to sign a confidentiality pledge.'),
            t('保密承诺不能代替客户的同意，这样做仍然是违规提供客户信息。', "A confidentiality pledge doesn't replace the customers' consent; it is still an unlawful disclosure."),
          ),
          bestOption(
            t('拒绝提供，并把这一请求报告给支行消保联络员。', 'Refuse, and report the request to the branch consumer-protection contact.'),
            t('向第三方提供客户信息必须有合法依据并经客户同意，业绩从来不是理由。', "Sharing customer data with a third party needs a legal basis and the customer's consent; sales results are never a reason."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('只收必要的，说明用途，让客户自己决定。', "Collect only what's needed, say what it's for, and let the customer decide."),
        t('客户信息不是营销资源，不能随意提供给他人。', 'Customer information is not a sales asset to hand out.'),
        t('遇到索要客户信息的请求，拿不准就报告。', 'If someone asks for customer data and you are unsure, report it.'),
      ]),
    ],
  },
  {
    id: 'daily-practice',
    title: t('日常工作中的保密', 'Confidentiality in daily work'),
    screens: [
      dialogue(
        t('柜台上的细节', 'Details at the counter'),
        t('营业厅客户很多。柜员小林正在办理业务，大堂经理小吴在厅里巡视。', 'The banking hall is busy. Lin is serving a customer while Wu, the lobby manager, walks the floor.'),
        [
          say(wu, '小林，刚才那位客户的复印件还在打印机上，我帮你拿回来了。', "Lin, the last customer's photocopies were still on the printer. I've brought them back."),
          say(lin, '谢谢！我马上放进待处理文件夹，作废的按规定粉碎。', "Thanks! I'll put them in the pending folder and shred the spoiled ones as required."),
          say(wu, '还有，叫号时只叫号码，别念客户的全名和要办的业务。', "Also, when calling customers, use the ticket number only — not their full name or what they're here for."),
          say(lin, '好的。我离开座位时也都会锁屏。', 'Will do. And I always lock my screen when I leave my seat.'),
        ],
      ),
      points(t('日常保密清单', 'Everyday checklist'), [
        t('离开座位锁屏；不在他人能看到屏幕的位置处理客户资料。', "Lock your screen when you leave; don't handle customer data where others can see the screen."),
        t('及时取回打印件和复印件；作废资料按规定销毁。', 'Collect printouts and copies promptly; destroy spoiled documents as required.'),
        t('不在聊天群、个人邮箱或私人设备上传送、存储客户信息。', 'Never send or store customer data in chat groups, personal email or personal devices.'),
        t('与客户交流时注意音量，不当众念出账号、余额等信息。', 'Keep your voice down; never read out account numbers, balances and the like.'),
        t('只因业务需要、在授权范围内查询客户信息。', 'Look up customer data only for a business need and within your authorisation.'),
      ]),
      decision(
        t('带回家加班？', 'Take it home?'),
        t('月末报表没做完。你想把一份含客户信息的表格发到个人邮箱，晚上在家做完。你怎么做？', "Month-end reports aren't finished. You're thinking of emailing a spreadsheet with customer data to your personal address to finish at home. What do you do?"),
        [
          weakOption(
            t('发到个人邮箱，做完马上删除。', 'Send it to your personal email and delete it when done.'),
            t('个人邮箱不在行内管控范围内，发出的那一刻，信息就离开了安全环境。', "Personal email is outside the bank's controls; the data leaves safe ground the moment you send it."),
          ),
          weakOption(
            t('用手机拍下屏幕，回家对照着做。', 'Photograph the screen and work from the photos at home.'),
            t('拍照同样把客户信息带出了行内系统，而且更难控制。', "Photos take the data out of the bank's systems just the same, and are even harder to control."),
          ),
          bestOption(
            t('不带出行，只用行内批准的方式处理；必要时与主管沟通调整工作安排。', 'Keep it inside the bank and use only approved methods; talk to your supervisor about the workload if needed.'),
            t('客户信息只能在行内批准的系统和设备中处理。', "Customer data is handled only on the bank's approved systems and devices."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('保密藏在细节里：屏幕、打印机、叫号、音量。', 'Confidentiality is in the details: screens, printers, queue calls, voices.'),
        t('客户信息不出行内系统和设备。', "Customer data stays on the bank's systems and devices."),
        t('查询客户信息要有业务需要。', 'Every look-up needs a business reason.'),
      ]),
    ],
  },
  {
    id: 'incidents',
    title: t('可疑请求与信息泄露的处置', 'Suspicious requests and data incidents'),
    screens: [
      dialogue(
        t('"公安局"来电', 'A call from "the police"'),
        t('网点接到一个电话，对方自称民警，要求立即提供某位客户的交易明细，说是在办案。', "The branch gets a call from someone claiming to be a police officer, demanding a customer's transaction history at once for an investigation."),
        [
          say(caller, '我是公安局的，正在办案。你马上把这个账户最近的流水报给我。', "This is the police, we're on a case. Read me this account's recent transactions now."),
          say(lin, '您好。配合有权机关查询需要按法定程序办理：出示相关证件和法律文书，由我行指定部门受理。', 'Hello. We work with authorised agencies through the legal procedure: proper credentials and legal documents, handled by our designated department.'),
          say(caller, '情况紧急，耽误了你负责吗？', 'This is urgent. Will you take responsibility for the delay?'),
          say(lin, '理解您着急，但电话里无法核实身份，我不能提供任何信息。请您按程序联系我行。', "I understand it's urgent, but I can't verify identity over the phone, so I can't give any information. Please contact the bank through the proper procedure."),
        ],
      ),
      dialogue(
        t('发错的邮件', 'A misdirected email'),
        t('小林发现，他刚才把一份含客户信息的文件发给了另一个支行的同名同事。', 'Lin realises he has just sent a file containing customer data to a colleague with the same name at another branch.'),
        [
          say(lin, '陈经理，我把一份客户名单发错人了，发给了另一个支行的同事。', "Ms Chen, I've sent a customer list to the wrong person — a colleague at another branch."),
          say(chen, '你第一时间告诉我，做得对。先联系对方删除并确认，我们按信息安全事件流程上报。', 'You were right to tell me straight away. Contact him to delete it and confirm, and we will report it under the information-security incident procedure.'),
          say(lin, '要不要等对方确认删除了再报？', 'Should we wait until he confirms before reporting?'),
          say(chen, '不用等，马上报。是否需要进一步措施、是否需要告知客户，由负责部门评估。', "No, report it now. The responsible department will decide whether more steps are needed and whether customers must be told."),
        ],
      ),
      decision(
        t('客户接到了陌生电话', 'A customer gets a strange call'),
        t('客户说，他刚在柜台办完业务，就有陌生人打电话来，准确说出了他办理的业务。你怎么做？', 'A customer says that right after his visit, a stranger phoned him and knew exactly what he had done at the counter. What do you do?'),
        [
          weakOption(
            t('向客户保证肯定不是银行泄露的。', "Assure him it can't have come from the bank."),
            t('没有调查就下结论，既不客观，也可能错过真正的问题。', "Concluding without investigating isn't objective and may miss a real problem."),
          ),
          bestOption(
            t('记录情况，提醒客户警惕诈骗，并按流程上报以便调查。', 'Record the details, warn him to watch for fraud, and report it under the procedure so it can be investigated.'),
            t('及时上报有助于查明原因，防止更多客户受影响。', 'Prompt reporting helps find the cause and protect other customers.'),
          ),
          weakOption(
            t('建议客户换个手机号码就好。', 'Suggest he simply changes his phone number.'),
            t('这也许有帮助，但不能代替调查和上报。', "That might help, but it's no substitute for investigating and reporting."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('电话、短信中无法核实身份的请求，一律不提供客户信息。', 'If a request by phone or message cannot be verified, give out no customer information.'),
        t('有权机关查询，按法定程序由指定部门办理。', 'Requests from authorised agencies go through the legal procedure and the designated department.'),
        t('发现或怀疑信息泄露，立即报告，不隐瞒、不拖延。', "If you find or suspect a leak, report it at once; don't hide it or wait."),
      ]),
    ],
  },
];
