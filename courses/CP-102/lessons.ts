import type { Lesson } from '../packaging/course-source.js';
import { bestOption, decision, dialogue, points, say, speaker, t, weakOption } from '../packaging/authoring.js';

const chen = speaker('staff', '陈经理（支行消保联络员）', 'Ms Chen (branch consumer-protection contact)');
const ma = speaker('staff', '市场岗 小马', 'Ma (marketing desk)');
const lin = speaker('staff', '柜员 小林', 'Lin (teller)');
const zheng = speaker('staff', '客户经理 小郑', 'Zheng (relationship manager)');
const mrQian = speaker('customer', '客户 钱先生', 'Mr Qian (customer)');
const mrsYang = speaker('customer', '客户 杨阿姨', 'Mrs Yang (customer)');

export const lessons: Lesson[] = [
  {
    id: 'advertising',
    title: t('宣传：说真话、讲完整', 'Advertising: true and complete'),
    screens: [
      dialogue(
        t('海报初稿', 'The poster draft'),
        t('支行准备在营业厅张贴一款理财产品的宣传海报，市场岗的小马拿着初稿请陈经理把关。', 'The branch is preparing a lobby poster for a wealth product. Ma from the marketing desk brings the draft to Ms Chen for a check.'),
        [
          say(ma, '标题我写的是"稳赚不赔，收益看得见"，够醒目吧？', 'I went with the headline "Can\'t lose — returns you can see". Eye-catching, right?'),
          say(chen, '醒目，但不能用。理财产品不保本，不能承诺收益，也不能暗示"稳赚"。', "Eye-catching, but we can't use it. Wealth products aren't capital-guaranteed: we can't promise returns or hint that you can't lose."),
          say(ma, '那我把过往业绩放大，风险提示放在底下的小字里？', 'What if I make the past performance big and put the risk warning in small print at the bottom?'),
          say(chen, '风险提示要和收益信息一样清楚易读。过往业绩还要写明不代表未来表现。', 'The risk warning must be as clear and readable as the returns. Past performance must also be labelled as no guide to future results.'),
        ],
      ),
      points(t('宣传材料的底线', 'The baseline for promotional material'), [
        t('真实、准确、完整：不夸大收益，不隐瞒风险和费用。', 'True, accurate and complete: no exaggerated returns, no hidden risks or fees.'),
        t('不使用"稳赚不赔""零风险"等承诺或暗示收益的说法。', 'No wording that promises or implies returns, such as "can\'t lose" or "zero risk".'),
        t('风险提示、费用和限制条件与收益信息同样醒目。', 'Risk warnings, fees and conditions are as prominent as the returns.'),
        t('利率、费率注明计算口径，方便客户比较。', 'Rates and fees state how they are calculated, so customers can compare.'),
        t('宣传材料按行内流程审核通过后才能发布。', 'Material is published only after the bank\'s review process has approved it.'),
      ]),
      decision(
        t('在朋友圈推广', 'Promoting on social media'),
        t('你想在个人朋友圈推广一款信用卡分期活动。最稳妥的做法是？', 'You want to promote a credit card instalment offer on your personal social media. What is the safest approach?'),
        [
          weakOption(
            t('自己写一段简短文案，只写"手续费低至……"，点击率更高。', 'Write your own short post that just says "fees from as little as…" — it gets more clicks.'),
            t('只写最低费率、不说明条件和全部成本，容易误导客户；自己写的文案也没有经过审核。', "Quoting only the lowest fee without conditions or total cost misleads customers, and your own post hasn't been reviewed."),
          ),
          bestOption(
            t('只转发行内审核通过的宣传材料，不作改动。', 'Share only material the bank has approved, unchanged.'),
            t('审核过的材料已经核对了费用、条件和风险提示。', 'Approved material has already been checked for fees, conditions and risk warnings.'),
          ),
          weakOption(
            t('截取海报上最优惠的部分单独转发。', 'Crop the best-looking part of the poster and share that.'),
            t('只转发片面信息，等于隐瞒了风险和条件。', 'Sharing a one-sided extract amounts to hiding the risks and conditions.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('宣传是客户了解产品的第一步，必须真实、完整。', 'Advertising is where customers first meet a product; it must be true and complete.'),
        t('风险和费用不能藏在小字里。', 'Risks and fees never hide in the small print.'),
        t('对外宣传只用审核过的材料。', 'Use only approved material in public.'),
      ]),
    ],
  },
  {
    id: 'selling',
    title: t('销售：费用和利率讲清楚', 'At the sale: clear fees and rates'),
    screens: [
      dialogue(
        t('分期的"月手续费"', 'The "monthly fee" on instalments'),
        t('年轻客户钱先生想用信用卡分期买一台电脑，他在宣传单上看到了月手续费率。', 'Mr Qian, a young customer, wants to buy a laptop on credit card instalments. He has seen a monthly fee rate on a leaflet.'),
        [
          say(mrQian, '月手续费率看起来很低，应该挺划算吧？', 'The monthly fee rate looks really low, so it must be a good deal?'),
          say(lin, '我给您讲清楚：分期手续费每期按分期本金收取，折算成年化利率，会比单看月费率高不少。分期说明里列了年化利率，我们一起看看。', "Let me be clear: the fee is charged each month on the original amount, so the annualised rate works out noticeably higher than the monthly figure suggests. The instalment terms show the annualised rate; let's look at it together."),
          say(mrQian, '那如果我提前还清呢？', 'And if I pay it off early?'),
          say(lin, '提前还款的规定和可能收取的费用都写在条款里，我指给您看。您了解清楚再决定。', "The early-repayment rules and any fees are in the terms; I'll show you where. Decide once you're clear."),
        ],
      ),
      points(t('销售时必须讲清楚的内容', 'What you must make clear at the sale'), [
        t('全部收费项目：名称、标准、收取方式和时间。', 'Every fee: what it is, how much, and how and when it is charged.'),
        t('贷款和分期：说明年化利率（或费率）和计算方式，不只说月费率或日利率。', 'Loans and instalments: give the annualised rate (or fee rate) and how it is calculated, not just a monthly or daily figure.'),
        t('提前还款、逾期和违约的规定及后果。', 'The rules and consequences for early repayment, late payment and default.'),
        t('用客户听得懂的话讲，并确认客户已经理解。', 'Use plain words and check the customer has understood.'),
      ]),
      decision(
        t('学生问年费', 'A student asks about the annual fee'),
        t('大学生何同学问你一张卡"有没有年费"。你不确定这张卡的年费减免条件。你怎么做？', "Student He asks whether a card has an annual fee. You're not sure of the card's fee-waiver conditions. What do you do?"),
        [
          weakOption(
            t('说"学生卡一般都免年费"，先让他办了再说。', 'Say "student cards usually have no annual fee" and sign him up.'),
            t('凭印象回答收费问题，可能让客户承担意料之外的费用。', "Answering a fee question from memory can leave the customer with charges he didn't expect."),
          ),
          bestOption(
            t('查阅这张卡的收费标准和减免条件，准确告诉他，并请他核对书面材料。', "Look up the card's fee schedule and waiver conditions, tell him accurately, and ask him to check the written terms."),
            t('不确定就先查证。准确说明费用和条件，是知情权的基本要求。', 'When unsure, check first. Accurate information on fees and conditions is the basis of the right to know.'),
          ),
          weakOption(
            t('建议他不清楚的地方以后自己上网查。', 'Suggest he looks anything unclear up online later.'),
            t('说明费用是银行的责任，不能推给客户。', "Explaining fees is the bank's job, not the customer's."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('费用和利率要讲全、讲准，用年化口径便于比较。', 'Give fees and rates fully and accurately; an annualised basis makes comparison possible.'),
        t('不确定的收费问题，先查证再回答。', 'If you are unsure about a fee, check before you answer.'),
        t('讲完之后，确认客户真的听懂了。', 'After explaining, make sure the customer has really understood.'),
      ]),
    ],
  },
  {
    id: 'signing',
    title: t('签约：重要条款提示与价目公示', 'At signing: key terms and published prices'),
    screens: [
      dialogue(
        t('签字之前', 'Before signing'),
        t('杨阿姨办理个人贷款，准备签合同。她说："你们说在哪签，我就在哪签。"', 'Mrs Yang is taking out a personal loan and is about to sign. "Just tell me where to sign," she says.'),
        [
          say(zheng, '杨阿姨，签字前我先把重要条款跟您过一遍：利率、还款日、提前还款和逾期的规定，都加粗标出来了。', 'Mrs Yang, before you sign, let me go through the key terms with you: the rate, repayment dates, early repayment and late payment. They are in bold here.'),
          say(mrsYang, '这么多字，我看不过来。', "That's a lot of text. I can't take it all in."),
          say(zheng, '不着急，您慢慢看，不明白的随时问我。签好后合同会给您一份留存。', "There's no rush. Take your time and ask me anything. You'll keep a copy once it's signed."),
          say(mrsYang, '好，那我先看看还款这一页。', "All right, I'll read the repayment page first."),
        ],
      ),
      points(t('签约环节要做到', 'At signing'), [
        t('对利率、费用、还款、提前还款、违约责任等重要条款作出提示和说明。', 'Point out and explain the key terms: rate, fees, repayment, early repayment and liability on default.'),
        t('给客户足够的阅读时间，不催促签字，不代客户签字。', 'Give the customer time to read; never rush them and never sign for them.'),
        t('合同和重要文件交客户留存。', 'Give the customer their copy of the contract and key documents.'),
        t('在营业场所和线上渠道公示服务价目；收费以公示价目和合同约定为准。', 'Publish the price list at the branch and online; charges follow the published list and the contract.'),
      ]),
      decision(
        t('排起了长队', 'The queue is growing'),
        t('客户签约前看得很慢，后面排起了长队。同事提醒你："让他先签，回家再看。"你怎么做？', 'A customer is reading the contract slowly and the queue is growing. A colleague says: "Get him to sign now and read it at home." What do you do?'),
        [
          weakOption(
            t('照做，反正合同会给他留一份。', 'Do it — he gets a copy anyway.'),
            t('签字之后再看已经晚了。客户有权在签约前了解和理解条款。', 'Reading after signing is too late. He has the right to understand the terms before he signs.'),
          ),
          bestOption(
            t('请大堂经理协助分流，继续让客户看完并解答他的问题。', 'Ask the lobby manager to help with the queue, and let the customer finish reading and ask his questions.'),
            t('排队压力由网点内部解决，不能让客户的知情权为此让路。', "The branch deals with the queue; the customer's right to know doesn't give way to it."),
          ),
          weakOption(
            t('只给他讲利率，其他条款让他自己看。', 'Explain only the rate and leave the rest to him.'),
            t('还款、提前还款和违约条款同样重要，都应当提示说明。', 'Repayment, early repayment and default terms matter just as much and must all be pointed out.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('签字前讲清重要条款，是客户知情的最后一道关口。', 'Explaining key terms before signing is the last checkpoint for informed consent.'),
        t('不催促、不代签，合同交客户留存。', "Don't rush, don't sign for the customer, and give them their copy."),
        t('收费只按公示价目和合同约定。', 'Charge only what the published price list and the contract say.'),
      ]),
    ],
  },
];
