import type { Lesson } from '../packaging/course-source.js';
import { bestOption, decision, dialogue, points, say, speaker, t, weakOption } from '../packaging/authoring.js';

const zheng = speaker('staff', '客户经理 小郑', 'Zheng (relationship manager)');
const tang = speaker('staff', '新同事 小唐', 'Tang (new colleague)');
const mrWu = speaker('customer', '客户 吴先生', 'Mr Wu (customer)');
const msSong = speaker('customer', '客户 宋女士', 'Ms Song (customer)');
const mrHan = speaker('customer', '客户 韩先生', 'Mr Han (customer)');
const mrsCao = speaker('customer', '客户 曹奶奶', 'Mrs Cao (elderly customer)');
const companion = speaker('other', '陪同的年轻人', 'Young man accompanying her');

export const lessons: Lesson[] = [
  {
    id: 'know-customer',
    title: t('了解客户：风险承受能力评估', 'Knowing the customer: the risk assessment'),
    screens: [
      dialogue(
        t('风险评估问卷', 'The risk questionnaire'),
        t('吴先生想买一款理财产品。客户经理小郑请他先完成风险承受能力评估。', 'Mr Wu wants to buy a wealth product. Zheng, the relationship manager, asks him to complete the risk-tolerance assessment first.'),
        [
          say(mrWu, '问卷这么长，你帮我勾吧，选能买的那个就行。', 'This questionnaire is long. Just tick it for me — whatever lets me buy.'),
          say(zheng, '这份问卷需要您本人如实填写，结果决定哪些产品适合您。每道题我都可以给您解释。', 'You need to fill it in yourself, truthfully: the result decides which products suit you. I can explain every question.'),
          say(mrWu, '"能接受的最大亏损"这题怎么理解？', 'How do I read the question about the biggest loss I could accept?'),
          say(zheng, '就是如果本金出现亏损，在不影响生活的前提下您能承受多少。请按真实情况选。', "It's how much of your money you could lose without it affecting your life. Please answer as things really are."),
        ],
      ),
      points(t('风险评估的要点', 'Key points of the assessment'), [
        t('由客户本人亲自、如实完成；员工可以解释，但不能代填或诱导。', 'The customer completes it in person and truthfully; staff may explain but never fill it in or steer the answers.'),
        t('评估结果确定客户的风险等级，是产品匹配的依据。', "The result sets the customer's risk level, which is the basis for matching products."),
        t('评估结果有有效期；过期或客户情况发生重大变化时，应当重新评估。', "Results expire; reassess when they do or when the customer's circumstances change significantly."),
        t('不得为了让客户买到某款产品而调整评估结果。', 'Never adjust a result so that the customer can buy a particular product.'),
      ]),
      decision(
        t('"那我重新做一次"', '"Then I\'ll do it again"'),
        t('评估结果显示，吴先生的风险等级低于他想买的产品。他说："那我重新做一次，选激进一点。"你怎么做？', 'The result puts Mr Wu below the risk level of the product he wants. "Then I\'ll do it again and pick bolder answers," he says. What do you do?'),
        [
          weakOption(
            t('让他重新做，并提示哪些选项能提高等级。', 'Let him redo it and point out which answers raise the level.'),
            t('诱导客户调整答案，评估就失去了意义，也违反适当性要求。', 'Steering the answers defeats the purpose of the assessment and breaches the suitability rules.'),
          ),
          bestOption(
            t('解释评估的目的，说明只有情况变化才需要重新评估，并介绍与他等级匹配的产品。', 'Explain what the assessment is for, that reassessment is for real changes in his situation, and show him products that match his level.'),
            t('如实的评估才能保护客户，避免他承担超出能力的风险。', "Only an honest assessment protects him from risks he can't bear."),
          ),
          weakOption(
            t('让他签一份"自愿承担风险"的声明，然后照常销售。', 'Have him sign an "I accept the risk" statement and sell it anyway.'),
            t('一份声明不能代替适当性管理，也不能免除银行的责任。', "A signed statement doesn't replace suitability checks or remove the bank's responsibility."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('评估是为了保护客户，不是销售前的手续。', 'The assessment protects the customer; it is not a box to tick before a sale.'),
        t('客户本人、如实完成，员工不代填、不诱导。', 'The customer answers in person and truthfully; staff never fill it in or steer it.'),
        t('结果不合适，就换合适的产品，而不是换结果。', "If the result doesn't fit, change the product, not the result."),
      ]),
    ],
  },
  {
    id: 'matching',
    title: t('产品风险与客户匹配', 'Product risk and matching'),
    screens: [
      dialogue(
        t('"和存款差不多吧？"', '"Pretty much like a deposit?"'),
        t('大堂里，宋女士问新同事小唐一款理财产品的情况。', 'In the lobby, Ms Song asks Tang, a new colleague, about a wealth product.'),
        [
          say(msSong, '这款理财收益比存款高，安全性也和存款差不多吧？', 'This product pays more than a deposit, and it is about as safe, isn\'t it?'),
          say(tang, '呃……应该差不多吧。', 'Er… I suppose so.'),
          say(zheng, '（走过来）宋女士，我补充一下：理财产品不是存款，不保本，收益也不确定。这款产品的风险等级写在说明书这里，我给您讲讲。', "(coming over) Ms Song, let me add something: a wealth product is not a deposit. Your capital isn't guaranteed and the return isn't certain. The risk rating is here in the product terms; let me take you through it."),
          say(msSong, '原来不一样，那我得好好看看。', "So it's different. I'd better read it properly."),
        ],
      ),
      points(t('匹配的原则', 'Matching principles'), [
        t('每款产品都有风险评级；只向客户推荐风险等级与其承受能力相匹配的产品。', "Every product has a risk rating; recommend only products that match the customer's risk tolerance."),
        t('理财产品不是存款，不得宣称或暗示保本、保收益。', 'A wealth product is not a deposit; never claim or imply guaranteed capital or returns.'),
        t('不把不同风险的产品混为一谈，不拿存款利率和理财收益作简单比较。', "Don't blur products with different risks, and don't compare deposit rates with investment returns as if they were alike."),
        t('不了解的问题不凭感觉回答，请有资质的同事解答。', "Don't guess; ask a qualified colleague."),
      ]),
      decision(
        t('"邻居买了赚了钱"', '"My neighbour made money on it"'),
        t('一位退休客户的风险评估结果是最保守的等级。他想买一款高风险产品，因为"邻居买了赚了钱"。你怎么做？', 'A retired customer is assessed at the most cautious risk level. He wants a high-risk product because "my neighbour made money on it". What do you do?'),
        [
          weakOption(
            t('客户坚持就卖，毕竟是他自己的选择。', "If he insists, sell it — it's his choice."),
            t('不得向客户销售风险等级高于其承受能力的产品，客户坚持也不行。', "Products above a customer's risk tolerance must not be sold to him, even if he insists."),
          ),
          bestOption(
            t('说明这款产品的风险与他的评估结果不匹配，不能向他销售，并介绍适合他的产品。', "Explain that the product's risk doesn't match his assessment, that it can't be sold to him, and show him suitable products."),
            t('适当性管理保护的是客户本人。讲清楚原因，客户更容易接受。', 'Suitability protects the customer himself. Explaining why makes it easier to accept.'),
          ),
          weakOption(
            t('建议他让家人用家人的名义去买。', 'Suggest a family member buys it in their own name.'),
            t('这是在帮客户规避适当性要求，属于严重违规。', 'That helps him get round the suitability rules and is a serious breach.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('合适的产品卖给合适的客户。', 'The right product for the right customer.'),
        t('理财不是存款：不保本、不保收益，要说清楚。', 'A wealth product is not a deposit: say clearly that neither capital nor returns are guaranteed.'),
        t('不确定的问题，请有资质的同事解答。', 'If you are not sure, bring in a qualified colleague.'),
      ]),
    ],
  },
  {
    id: 'disclosure',
    title: t('风险揭示与客户自主决定', "Risk disclosure and the customer's own decision"),
    screens: [
      dialogue(
        t('在理财销售专区', 'In the wealth sales area'),
        t('小郑在网点的理财销售专区为韩先生介绍一款产品，按行内规定对销售过程录音录像。', "In the branch's wealth sales area, Zheng presents a product to Mr Han. Under the bank's rules, the sale is recorded on audio and video."),
        [
          say(zheng, '韩先生，这款产品的风险等级、可能的损失、费用和赎回规定，我逐项给您说明。', "Mr Han, I'll go through the product's risk rating, possible losses, fees and redemption rules one by one."),
          say(mrHan, '说明书我回家再看吧。', "I'll read the terms at home."),
          say(zheng, '重要内容我们现在一起看，尤其是风险揭示这一页。您看清楚以后，再亲笔抄录风险确认语句。', "Let's look at the key parts together now, especially the risk-disclosure page. Once you've read it, please copy out the risk acknowledgement in your own hand."),
          say(mrHan, '好，那我仔细看看。', "OK, I'll read it carefully."),
          say(zheng, '不着急决定，您也可以回去考虑，想好了再来。', "There's no rush. You can go home and think about it, and come back when you've decided."),
        ],
      ),
      points(t('充分揭示风险', 'Full risk disclosure'), [
        t('用客户听得懂的话说明产品性质、风险等级、可能出现的最不利情况、费用和赎回限制。', 'In plain words, explain what the product is, its risk rating, the worst realistic outcome, its fees and redemption limits.'),
        t('风险揭示书由客户本人阅读、确认并签字，不得代签。', 'The customer reads, confirms and signs the risk disclosure personally; no one signs for them.'),
        t('按行内规定在销售专区办理，并对销售过程录音录像。', "Sell in the designated sales area and record the sale on audio and video, as the bank's rules require."),
        t('不催促、不施压，尊重客户的决定，包括不买的决定。', 'No rushing or pressure; respect the decision, including a decision not to buy.'),
      ]),
      decision(
        t('客户不想录像', "The customer doesn't want to be recorded"),
        t('客户说："录像太麻烦了，我们就在大厅里办吧。"你怎么做？', 'The customer says: "Recording is a hassle. Let\'s just do it in the lobby." What do you do?'),
        [
          weakOption(
            t('照顾客户意愿，在大厅里办理。', 'Go along with it and do it in the lobby.'),
            t('在销售专区录音录像是行内规定的程序，不能因为客户嫌麻烦就省略。', "Selling in the sales area with recording is a required procedure; it isn't dropped because the customer finds it a hassle."),
          ),
          bestOption(
            t('解释录音录像是为了保护客户、记录说明过程；如果客户仍不同意，就不办理这笔销售。', 'Explain that recording protects him and documents what was explained; if he still refuses, do not go ahead with the sale.'),
            t('程序保护的是双方，讲清楚原因，通常能得到客户理解。', 'The procedure protects both sides, and explaining it usually wins understanding.'),
          ),
          weakOption(
            t('先在大厅办理，事后再补录一段。', 'Do it in the lobby and record something afterwards.'),
            t('事后补录不能反映真实的销售过程，属于弄虚作假。', "A recording made afterwards doesn't capture the real sale; it's falsification."),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('风险要讲在前面，讲到客户真正明白。', 'Explain the risks first, until the customer really understands them.'),
        t('客户亲自阅读、确认、签字，销售过程按规定录音录像。', 'The customer reads, confirms and signs personally, and the sale is recorded as required.'),
        t('买不买，由客户决定。', 'Whether to buy is the customer\'s decision.'),
      ]),
    ],
  },
  {
    id: 'older-customers',
    title: t('为老年客户提供稳妥的服务', 'Serving older customers safely'),
    screens: [
      dialogue(
        t('陪同而来的"朋友"', 'A "friend" comes along'),
        t('高龄客户曹奶奶由一位自称"朋友"的年轻人陪同，要把定期存款全部取出，买一款"高收益"产品。', 'Mrs Cao, an elderly customer, arrives with a young man she calls a friend. She wants to withdraw all her time deposits to buy a "high-yield" product.'),
        [
          say(companion, '奶奶都想好了，你们快点办就行。', "Granny's made up her mind. Just get on with it."),
          say(zheng, '曹奶奶，我想单独和您聊几句，了解一下您的想法，可以吗？', 'Mrs Cao, may I have a few words with you on your own, to understand what you would like to do?'),
          say(mrsCao, '（在洽谈室里）他说这个产品收益特别高，还保证不亏，是他们公司的内部名额。', "(in the meeting room) He says it pays very high returns and can't lose, and it's an inside allocation at his company."),
          say(zheng, '曹奶奶，"收益高又保证不亏"是常见的诈骗说法。这笔钱关系到您的生活，我们先不急着办，请您和家人商量一下，好吗？', 'Mrs Cao, "high returns with no risk" is a common fraud line. This money matters for your living, so let\'s not rush. Would you talk it over with your family first?'),
        ],
      ),
      points(t('服务老年客户', 'Serving older customers'), [
        t('放慢语速，用简单的话；必要时提供大字材料，并确认客户真正理解。', 'Slow down and use simple words; offer large-print material where needed, and check they really understand.'),
        t('评估时关注年龄、收入来源和资金用途；养老钱、看病钱要格外谨慎。', 'In the assessment, consider age, source of income and what the money is for; take extra care with money for retirement or medical care.'),
        t('留意是否有他人代为做主、催促或诱导；必要时单独与客户沟通。', 'Watch for others deciding for them, rushing or coaxing them; talk to the customer alone if needed.'),
        t('经客户同意，可以邀请其信任的家属一起了解产品。', 'With the customer\'s agreement, invite a family member they trust to go through the product too.'),
        t('发现可能的诈骗，按行内流程处置并报告。', "If you suspect fraud, follow the bank's procedure and report it."),
      ]),
      decision(
        t('曹奶奶仍然坚持', 'Mrs Cao still insists'),
        t('单独沟通后，曹奶奶仍坚持要取出全部存款，转给那位"朋友"。你怎么做？', 'After the private talk, Mrs Cao still insists on withdrawing everything and transferring it to the "friend". What do you do?'),
        [
          weakOption(
            t('客户的钱客户做主，按她的要求办理。', "It's her money and her call: process it."),
            t('尊重客户的决定，不等于对明显的诈骗风险视而不见。', "Respecting her decision doesn't mean ignoring obvious signs of fraud."),
          ),
          bestOption(
            t('耐心劝阻，按行内反诈流程请主管协助；经她同意联系她信任的家属，必要时报警。', "Patiently try to dissuade her and follow the bank's anti-fraud procedure with your supervisor; with her agreement, contact a family member she trusts, and call the police if needed."),
            t('耐心劝阻加上按流程处置，是保护老年客户财产安全的关键。', "Patient persuasion plus the proper procedure is how we keep older customers' money safe."),
          ),
          weakOption(
            t('拒绝为她办理任何业务，请她离开。', 'Refuse all service and ask her to leave.'),
            t('简单拒绝既不尊重客户，也可能让她转而通过其他渠道被骗。', 'A flat refusal is disrespectful and may push her to be defrauded some other way.'),
          ),
        ],
      ),
      points(t('要点回顾', 'Takeaways'), [
        t('对老年客户，多一分耐心，多确认一次。', 'With older customers, take more time and check once more.'),
        t('注意陪同人员的言行，必要时单独沟通。', 'Notice how companions behave, and speak to the customer alone if needed.'),
        t('"高收益、保证不亏"是危险信号。', '"High returns, no risk" is a warning sign.'),
      ]),
    ],
  },
];
