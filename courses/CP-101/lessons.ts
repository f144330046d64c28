import type { Lesson } from '../packaging/course-source.js';
import { bestOption, decision, dialogue, points, say, speaker, t, weakOption } from '../packaging/authoring.js';

const lin = speaker('staff', '柜员 小林', 'Lin (teller)');
const chen = speaker('staff', '陈经理（支行消保联络员）', "Ms Chen (branch consumer-protection contact)");
const wu = speaker('staff', '大堂经理 小吴', 'Wu (lobby manager)');
const zheng = speaker('staff', '客户经理 小郑', 'Zheng (relationship manager)');
const colleague = speaker('other', '其他网点同事', 'Colleague from another outlet');
const mrZhao = speaker('customer', '客户 赵先生', 'Mr Zhao (customer)');
const msSun = speaker('customer', '客户 孙女士', 'Ms Sun (customer)');
const mrZhou = speaker('customer', '客户 周大爷', 'Mr Zhou (elderly customer)');

export const lessons: Lesson[] = [
  {
    id: 'eight-rights',
    title: t('八项权利概览', 'The eight rights at a glance'),
    screens: [
      dialogue(
        t('新同事的第一天', "A new colleague's first day"),
        t('瑞和银行城东支行开门前，新入职的柜员小林向支行消保联络员陈经理请教。', "Before Ruihe Bank's Chengdong sub-branch opens, new teller Lin asks Ms Chen, the branch's consumer-protection contact, for advice."),
        [
          say(lin, '陈经理，培训里常说"金融消费者的八项权利"，在柜台上具体指什么？', 'Ms Chen, training keeps mentioning "the eight rights of financial consumers". What do they mean at the counter?'),
          say(chen, '它们出自国务院办公厅 2015 年的指导意见（国办发〔2015〕81号），说的是客户和我们打交道时应当得到的保障。', "They come from the State Council General Office's 2015 guidance (Guobanfa [2015] No. 81). They describe what customers are entitled to whenever they deal with us."),
          say(lin, '那我每天的工作都会碰到吗？', 'Will I meet them in my daily work?'),
          say(chen, '每一笔业务都会。讲清楚费用，是知情权；不搭售，是自主选择权和公平交易权；保管好客户资料，是信息安全权。', 'In every transaction. Explaining fees is the right to know; not bundling is free choice and fair dealing; keeping customer data safe is information security.'),
        ],
      ),
      points(t('八项权利', 'The eight rights'), [
        t('财产安全权：客户的资金和财产安全应当得到保障。', "Property safety: customers' money and assets must be kept safe."),
        t('知情权：客户有权了解产品和服务的真实情况，包括费用、利率、风险和主要条款。', 'Right to know: customers are entitled to accurate information about products and services, including fees, rates, risks and key terms.'),
        t('自主选择权：买不买、买哪一种，由客户自己决定。', 'Free choice: customers decide for themselves whether to buy and what to buy.'),
        t('公平交易权：交易条件公平合理，不强制搭售，不设不合理条件。', 'Fair dealing: terms are fair and reasonable, with no forced bundling or unreasonable conditions.'),
        t('依法求偿权：权益受损时，客户有权依法提出诉求并获得赔偿。', 'Redress: customers who are harmed may raise a claim and obtain compensation in accordance with the law.'),
        t('受教育权：客户有权获得金融知识教育，提高风险意识。', 'Education: customers are entitled to financial education that raises their awareness of risk.'),
        t('受尊重权：客户的人格尊严和民族风俗习惯应当受到尊重。', "Respect: customers' personal dignity and ethnic customs must be respected."),
        t('信息安全权：客户的个人金融信息应当依法得到保护。', "Information security: customers' personal financial information must be protected in accordance with the law."),
      ]),
      decision(
        t('顺手开通的短信服务', 'An SMS service "while we are at it"'),
        t('客户在办理借记卡。同事建议顺手给他开通收费的短信提醒服务，不必特意说明。你怎么做？', 'A customer is opening a debit card. A colleague suggests adding the paid SMS alert service without mentioning it. What do you do?'),
        [
          weakOption(
            t('照同事说的开通，费用不高，客户一般不在意。', 'Add it as suggested; the fee is small and customers rarely mind.'),
            t('金额大小不是理由。未经说明和同意就收费，侵犯知情权和自主选择权，也容易引发投诉。', 'The amount is not the point. Charging without explanation and consent breaches the right to know and free choice, and invites complaints.'),
          ),
          bestOption(
            t('说明服务内容和收费，由客户自己决定是否开通。', 'Explain the service and its fee, and let the customer decide.'),
            t('这样同时保障了知情权和自主选择权：费用讲清楚，决定权留给客户。', "This respects both the right to know and free choice: the fee is clear and the decision is the customer's."),
          ),
          weakOption(
            t('先开通，客户不满意再帮他取消。', 'Switch it on now and cancel it if the customer objects later.'),
            t('事后补救不能代替事前同意。客户应当在开通前知情并自主决定。', 'Fixing it afterwards does not replace consent beforehand. The customer must know and decide before it is switched on.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('八项权利贯穿每一笔业务，不是只有投诉时才用得上。', 'The eight rights apply to every transaction, not only when a complaint arises.'),
        t('拿不准时先问自己：客户知道吗？客户同意吗？对客户公平吗？', 'When unsure, ask: does the customer know? Has the customer agreed? Is it fair to the customer?'),
        t('有疑问，找支行消保联络员。', "If in doubt, ask your branch's consumer-protection contact."),
      ]),
    ],
  },
  {
    id: 'safety',
    title: t('财产安全与信息安全', 'Keeping money and information safe'),
    screens: [
      dialogue(
        t('落在柜台上的证件', 'Left on the counter'),
        t('午间高峰，客户赵先生办完业务匆匆离开，把银行卡和身份证留在了柜台上。', 'At the lunchtime rush, Mr Zhao finishes his business and hurries off, leaving his bank card and ID card on the counter.'),
        [
          say(wu, '赵先生，请留步！您的银行卡和身份证还在柜台上。', 'Mr Zhao, one moment please! Your bank card and ID card are still on the counter.'),
          say(mrZhao, '哎呀，谢谢，我差点就走了。', 'Oh, thank you. I nearly left without them.'),
          say(wu, '请您核对一下是不是本人的。以后办完业务，记得先检查随身物品。', "Please check they're yours. After each visit, it's worth checking your belongings before you leave."),
          say(lin, '如果客户已经走远，我们按遗留物品流程登记保管，并尽快联系本人。', 'If a customer has already gone, we log and secure the items under the lost-property procedure and contact the owner promptly.'),
        ],
      ),
      dialogue(
        t('工作群里的"帮个忙"', 'A favour in the work chat'),
        t('工作群里，另一网点的同事请小林"帮忙查一下"某位客户的余额，说是为了营销。', "In a work chat group, a colleague from another outlet asks Lin to \"just check\" a customer's balance for a sales campaign."),
        [
          say(colleague, '小林，帮我查一下李女士的余额，我想给她推荐理财。', "Lin, could you check Ms Li's balance? I'd like to offer her a wealth product."),
          say(lin, '抱歉，查询客户账户要有业务需要和相应权限，不能私下查询，更不能在群里转发。', "Sorry. Looking up an account needs a business reason and the right access. I can't look it up privately, let alone post it in a chat."),
          say(colleague, '都是行里的人，有什么关系？', "We're all the same bank, what's the problem?"),
          say(lin, '行内同事也要遵守最少必要原则。你可以按营销流程，通过正式渠道联系她，并尊重她的意愿。', 'Colleagues follow the "minimum necessary" rule too. Contact her through the official channel under the sales process, and respect her wishes.'),
        ],
      ),
      decision(
        t('自称家属的来电', 'A caller who says he is family'),
        t('有人打电话到网点，自称客户的儿子，说母亲年纪大记不清，要求告诉他母亲的余额和最近交易。你怎么做？', "A caller says he is a customer's son. His mother is elderly and forgets things, he says, so he wants her balance and recent transactions. What do you do?"),
        [
          weakOption(
            t('让他报出母亲的身份证号，核对无误就告诉他余额。', "Ask for his mother's ID number and tell him the balance if it matches."),
            t('身份证号可能早已泄露，不能证明对方有权查询。家属也不等于客户本人。', 'An ID number may already have leaked and proves nothing about authority. A relative is not the account holder.'),
          ),
          weakOption(
            t('只告诉他有没有大额交易，不说具体金额。', 'Only say whether there were any large transactions, without amounts.'),
            t('交易情况同样是客户的个人金融信息，不能透露给未经授权的人。', 'Transaction details are personal financial information too and must not go to anyone unauthorised.'),
          ),
          bestOption(
            t('礼貌地不在电话中透露任何信息，说明可由客户本人办理，或按行内规定办理授权后查询。', "Politely disclose nothing by phone, and explain that the customer can ask in person, or someone can ask with a valid authorisation under the bank's rules."),
            t('无法核实身份时什么都不透露，同时给出可行的办理方式，既保护客户也照顾到家属的关心。', 'If identity cannot be verified, disclose nothing, and offer a practical way forward. That protects the customer and still helps the family.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('财产安全：遗留物品、现金差错、可疑交易，都要按流程及时处理。', 'Property safety: deal with lost items, cash discrepancies and suspicious transactions promptly, by the procedure.'),
        t('信息安全：只在业务需要时、在授权范围内查询和使用客户信息。', 'Information security: look up and use customer data only when the job requires it and within your authorisation.'),
        t('无法核实身份时，不透露任何客户信息。', 'If you cannot verify who you are talking to, disclose nothing.'),
      ]),
    ],
  },
  {
    id: 'fair-choice',
    title: t('知情、选择与公平交易', 'Knowing, choosing and fair dealing'),
    screens: [
      dialogue(
        t('贷款要不要搭保险', 'Does the loan come with insurance?'),
        t('客户孙女士到网点咨询个人消费贷款。', 'Ms Sun comes to the branch to ask about a personal consumer loan.'),
        [
          say(zheng, '孙女士，您符合申请条件。我先把年化利率、还款方式和提前还款的规定给您讲清楚。', "Ms Sun, you meet the criteria. First I'll go through the annualised rate, the repayment method and the early-repayment terms."),
          say(msSun, '听朋友说，有的银行要求同时买一份保险才给批？', 'A friend said some banks only approve a loan if you also buy insurance?'),
          say(zheng, '在我们这里，贷款审批不以购买保险或其他产品为条件。需不需要保险，由您自己决定。', "Not here. Approval never depends on buying insurance or any other product. Whether you want insurance is up to you."),
          say(msSun, '那我先只办贷款，保险回去再考虑。', "Then I'll just take the loan and think about insurance later."),
        ],
      ),
      points(t('在销售中落实知情权和选择权', 'The right to know and free choice in a sale'), [
        t('主动说明价格、费用、年化利率、主要风险和重要条款，不只回答客户问到的部分。', 'Explain price, fees, the annualised rate, key risks and important terms up front, not only what the customer asks about.'),
        t('不把购买一种产品作为办理另一种业务的条件，不默认勾选。', 'Never make one product a condition of another, and never pre-tick options.'),
        t('客户说"不需要"，就尊重客户的决定，不反复纠缠。', 'When a customer says no, accept it and stop pressing.'),
      ]),
      decision(
        t('到期的定期存款', 'A maturing time deposit'),
        t('客户的定期存款到期，她想继续转存定期。你这个月的理财销售任务还差一点。你怎么做？', 'A customer\'s time deposit has matured and she wants to renew it. You are slightly behind your wealth-product sales target this month. What do you do?'),
        [
          weakOption(
            t('告诉她定期利率太低，只给她推荐理财产品。', 'Tell her deposit rates are too low and offer only a wealth product.'),
            t('只讲一面、引导客户放弃自己的选择，损害知情权和自主选择权。', 'One-sided advice that steers her away from her own choice undermines her right to know and her free choice.'),
          ),
          bestOption(
            t('先按她的要求办理转存；如果她有兴趣，再客观介绍其他产品和风险。', 'Renew the deposit as she asks; if she is interested, describe other products and their risks objectively.'),
            t('客户的需要优先。介绍其他产品时客观、完整，决定权在客户。', 'Her needs come first. Any other product is described objectively and fully, and the decision is hers.'),
          ),
          weakOption(
            t('说转存定期要排很久的队，理财可以马上办。', 'Say renewing means a long wait but a wealth product can be done right away.'),
            t('用不真实的信息影响客户选择，属于误导销售。', "Using untrue information to sway a customer's choice is mis-selling."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('公平交易：对客户的条件一致、合理，不强制搭售。', 'Fair dealing: consistent, reasonable terms and no forced bundling.'),
        t('业绩压力不能成为误导或搭售的理由。', 'Sales targets never justify misleading customers or bundling products.'),
        t('讲清楚、让客户自己选，是最稳妥的做法。', 'Explain clearly and let the customer choose: that is always the safe course.'),
      ]),
    ],
  },
  {
    id: 'duties',
    title: t('求偿、教育、尊重与银行的责任', "Redress, education, respect and the bank's duties"),
    screens: [
      dialogue(
        t('听不清的周大爷', 'Mr Zhou cannot hear well'),
        t('高龄客户周大爷听力不好，在柜台前反复询问同一个问题，排队的客户开始催促。', 'Mr Zhou, an elderly customer who is hard of hearing, asks the same question again and again at the counter. People in the queue start to grumble.'),
        [
          say(lin, '周大爷，我把要点写下来给您看，好吗？', "Mr Zhou, shall I write the main points down for you?"),
          say(mrZhou, '好，好。你们说话太快，我听不清。', "Yes, please. You all talk too fast for me."),
          say(lin, '（写好要点，放慢语速逐条确认）您看，这样清楚吗？', '(writes the points down and goes through them slowly) Is this clear?'),
          say(wu, '（对排队的客户）感谢大家耐心等待，我先帮几位办理自助业务。', "(to the queue) Thank you for waiting. Let me help some of you at the self-service machines."),
        ],
      ),
      points(t('求偿、教育与尊重', 'Redress, education and respect'), [
        t('受尊重权：耐心、礼貌，为老年人、残障人士等提供必要帮助，不因身份或年龄区别对待。', 'Respect: be patient and courteous, help older and disabled customers where needed, and never treat anyone differently for who they are or their age.'),
        t('依法求偿权：客户提出诉求时，告知投诉渠道和处理流程，不推诿、不阻拦。', 'Redress: when customers raise a grievance, tell them the complaint channels and process; never deflect or obstruct.'),
        t('受教育权：在网点和线上渠道开展金融知识宣传，帮助客户识别风险。', 'Education: share financial knowledge at the branch and online, and help customers recognise risks.'),
      ]),
      points(t('瑞和银行的责任', "What Ruihe Bank does"), [
        t('内部管理：设立专门的消费者权益保护部门，每个网点有联络员；制定服务、投诉和个人信息保护制度；持续培训员工。', 'Internal management: a dedicated consumer-protection department and a contact in every branch; policies for service, complaints and privacy; ongoing staff training.'),
        t('服务流程：简化手续；在宣传、销售和签约各环节充分披露产品、风险、费用、利率和条款。', 'Service processes: simpler procedures; full disclosure of products, risks, fees, rates and terms when advertising, selling and signing.'),
        t('风险防范：评估客户和产品的风险；对投诉处理开展内部监督。', 'Risk prevention: assess the risk of customers and of products; supervise complaint handling internally.'),
        t('客户教育与特殊群体：开展金融知识活动，提示客户防范诈骗；在柜面和线上为老年人、学生等群体提供合适的服务。', 'Education and customers who need more help: run financial-literacy activities and fraud warnings; serve older people, students and others appropriately at the counter and online.'),
      ]),
      decision(
        t('"我要投诉你"', '"I\'m going to complain about you"'),
        t('客户对一笔手续费不满，说："我要投诉你。"你怎么回应？', 'A customer unhappy about a fee says: "I\'m going to complain about you." How do you respond?'),
        [
          weakOption(
            t('劝她别投诉，说投诉也没有用。', "Talk her out of it: complaining won't help."),
            t('劝阻投诉侵犯依法求偿权，问题也得不到改进。', 'Discouraging a complaint breaches the right to redress, and the problem never gets fixed.'),
          ),
          weakOption(
            t('请她去找总行，网点不处理投诉。', "Send her to head office; branches don't handle complaints."),
            t('推诿不可取。首先接待客户的网点负有首问责任，应当受理并按流程处理。', 'Deflecting is wrong. The branch the customer first approaches is responsible for taking the complaint and handling it by the process.'),
          ),
          bestOption(
            t('表示理解，告诉她投诉渠道和处理流程，并记录她的诉求。', 'Acknowledge her concern, tell her the complaint channels and process, and record what she is asking for.'),
            t('提出投诉是客户的权利，我们的责任是让这条路畅通。', 'Complaining is her right. Our job is to keep that route open.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('尊重体现在细节：放慢语速、写下要点、照顾好排队秩序。', 'Respect lives in the details: slow down, write things down, keep the queue moving.'),
        t('投诉是改进的机会，不是要压下去的麻烦。', 'A complaint is a chance to improve, not trouble to be suppressed.'),
        t('八项权利靠每个岗位落实：制度、流程和你在柜台上的每一次选择。', 'The eight rights are delivered by every role: policies, processes, and each choice you make at the counter.'),
      ]),
    ],
  },
];
