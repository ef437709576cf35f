package demo

import (
	"github.com/redress-project/redress/internal/taxonomy"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// The categories the generator writes complaints in. They are the
// complaint types redress is built for, plus the other matters an e-wallet's
// complaint desk sees every day.
const (
	CategoryTransactionFailure = "transaction_failure" // charged but the order failed, charged twice, transfer stuck
	CategoryRefund             = "refund"              // refunds late, refused or short
	CategoryFraud              = "fraud"               // scams and phishing
	CategoryAccountSecurity    = "account_security"    // stolen account, unauthorised payments
	CategoryPrivacy            = "privacy"             // data leaks, harassment calls
	CategoryService            = "service"             // rude or slow customer service
	CategoryMerchantDispute    = "merchant_dispute"    // non-delivery, not as described, prepaid shop gone
	CategoryFees               = "fees"                // undisclosed fees, auto-renewal
	CategoryAccountFrozen      = "account_frozen"      // account or payments restricted
	CategoryCredit             = "credit"              // buy-now-pay-later and credit lines
	CategoryMarketing          = "marketing"           // promotions, cashback, vouchers
)

// Categories lists every category the generator uses.
var Categories = []string{
	CategoryTransactionFailure, CategoryRefund, CategoryFraud, CategoryAccountSecurity,
	CategoryPrivacy, CategoryService, CategoryMerchantDispute, CategoryFees,
	CategoryAccountFrozen, CategoryCredit, CategoryMarketing,
}

// The teams complaints are routed to.
const (
	TeamPayments         = "payments"
	TeamRefunds          = "refunds"
	TeamFraud            = "fraud"
	TeamPrivacy          = "privacy"
	TeamMerchantDisputes = "merchant_disputes"
	TeamService          = "service"
)

// Teams lists every team that handles demo complaints.
var Teams = []string{TeamPayments, TeamRefunds, TeamFraud, TeamPrivacy, TeamMerchantDisputes, TeamService}

// TeamFor returns the team that handles complaints of category.
func TeamFor(category string) string {
	if team := taxonomy.Default().Team(category); team != "" {
		return team
	}
	return TeamService
}

// counterpartyKind says who received the money of a scenario's transactions.
type counterpartyKind uint8

const (
	noTransaction counterpartyKind = iota // the matter concerns no payment
	toMerchant                            // a purchase from a merchant of the scenario's sector
	toPerson                              // a transfer to a private person
	toPlatform                            // a fee or credit charge of the platform itself
)

// scenario is one kind of story a customer tells: what happened, in the
// three scripts, and the facts that go with it.
type scenario struct {
	name     string
	category string
	severity complaint.Severity // before adjusting for the amount
	payee    counterpartyKind
	sector   string   // merchant sector, for toMerchant (and for naming a shop otherwise)
	minor    [2]int64 // amount range in CNY fen; other currencies are converted
	round    int64    // amounts are multiples of this many fen (0: priced like goods)
	txs      [2]int   // how many transactions the complaint lists
	txStatus string   // the transactions' status on the platform
	ago      [2]time.Duration
	inquiry  float64 // chance the matter is raised as an inquiry first
	subjects texts
	bodies   texts
}

// script is the writing system of a text: simplified Chinese, traditional
// Chinese or English.
type script uint8

const (
	hans script = iota
	hant
	latin
	nScripts
)

// texts holds alternative templates for each script. Templates name slots
// in braces, such as {merchant} or {amount}; see slots.
type texts [nScripts][]string

const day = 24 * time.Hour

var scenarios = []scenario{
	{
		name: "charged_order_failed", category: CategoryTransactionFailure, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "retail", minor: [2]int64{1990, 399900}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{2 * time.Hour, 6 * day},
		subjects: texts{
			hans:  {"付款成功但订单显示支付失败", "在{merchant}付款已扣钱，订单却失败了", "扣款成功订单未生成，{amount}不知去向", "{date}支付{amount}后订单状态异常"},
			hant:  {"付款成功但訂單顯示失敗", "在{merchant}已扣款，訂單卻沒有成立"},
			latin: {"Charged but the order failed", "Payment taken by {merchant} but no order", "Money deducted, order says payment failed"},
		},
		bodies: texts{
			hans: {
				"我{date}{time}在{merchant}购买{item}，用尾号{card}的{bank}卡支付了{amount}，银行短信显示已经扣款，但是商家那边显示订单支付失败，让我重新下单。交易单号{txid}。",
				"{date}在{merchant}下单买{item}，付款时页面卡住，退出后发现钱已经扣了{amount}，可订单列表里没有这笔订单。已经过去{days}天，钱没有退回来，商家客服说他们没收到款。",
				"{date}{time}付款{amount}后页面提示“支付失败，请重试”，但余额已经少了{amount}。商家说订单没有付款记录，不给发货。交易单号{txid}，订单号{order}。",
			},
			hant: {
				"我於{date}{time}在{merchant}購買{item}，用尾號{card}的{bank}卡付款{amount}，銀行已經扣款，但商戶顯示訂單付款失敗。交易編號{txid}。",
				"{date}在{merchant}付款時畫面卡住，之後發現已扣{amount}，但訂單紀錄裡找不到這筆訂單，已經{days}天了錢還沒退回。",
			},
			latin: {
				"On {date} at {time} I paid {amount} to {merchant} for {item} with my {bank} ending {card}. My bank shows the money was taken, but {merchant} says the payment failed and asked me to pay again. Transaction ID {txid}.",
				"The checkout froze while I was paying {merchant} {amount} for {item}. The money left my account but there is no order in my history. It has been {days} days and nothing has come back.",
			},
		},
	},
	{
		name: "duplicate_charge", category: CategoryTransactionFailure, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "food", minor: [2]int64{990, 199900}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{3 * time.Hour, 10 * day},
		subjects: texts{
			hans:  {"同一笔订单被重复扣款", "重复扣款，请退回多扣的{amount}", "{merchant}一笔消费扣了两次钱"},
			hant:  {"同一筆訂單被重複扣款", "{merchant}一筆消費扣了兩次錢"},
			latin: {"Charged twice for one order", "Duplicate charge from {merchant}"},
		},
		bodies: texts{
			hans: {
				"{date}在{merchant}消费{amount}，只付了一次，但账单里出现了两笔一模一样的扣款，多扣了{amount}。交易号{txid}。",
				"我{date}{time}买{item}，付款时网络不好多点了一下，结果被扣了两次，每次{amount}。商家说只收到一笔，让我找平台处理。",
			},
			hant: {"{date}在{merchant}消費{amount}，只付了一次，但帳單出現兩筆相同的扣款，多扣了{amount}。交易編號{txid}。"},
			latin: {
				"I paid {merchant} {amount} once on {date}, but my statement shows two identical charges. Transaction ID {txid}. Please refund the duplicate.",
				"I bought {item} on {date}; the app hung and I was charged {amount} twice. {merchant} says they only received one payment.",
			},
		},
	},
	{
		name: "transfer_stuck", category: CategoryTransactionFailure, severity: complaint.SeverityHigh,
		payee: toPerson, minor: [2]int64{50000, 5000000}, round: 10000, txs: [2]int{1, 1}, txStatus: "processing",
		ago: [2]time.Duration{5 * time.Hour, 8 * day},
		subjects: texts{
			hans:  {"转账显示成功但对方没收到", "转账{amount}一直处理中", "给家人转账迟迟不到账"},
			hant:  {"轉帳顯示成功但對方沒收到", "轉帳{amount}一直處理中"},
			latin: {"Transfer shows completed but the recipient has nothing", "Transfer of {amount} stuck in processing"},
		},
		bodies: texts{
			hans: {
				"{date}{time}我给{counterparty}转账{amount}，我这边显示转账成功，对方说到现在都没收到。转账单号{txid}，这笔钱很急，是给家里交医药费的。",
				"{date}转出{amount}到{counterparty}的银行卡，状态一直是“处理中”，已经{days}天了，既没到账也没退回。",
			},
			hant: {"{date}{time}我轉帳{amount}給{counterparty}，我這邊顯示成功，對方說到現在都沒收到。轉帳編號{txid}。"},
			latin: {
				"On {date} I sent {amount} to {counterparty}. It shows as completed on my side but they have not received it. Reference {txid}.",
				"My transfer of {amount} to {counterparty} has said \"processing\" for {days} days. It has neither arrived nor been returned.",
			},
		},
	},
	{
		name: "topup_failed", category: CategoryTransactionFailure, severity: complaint.SeverityLow,
		payee: toMerchant, sector: "telecom", minor: [2]int64{3000, 30000}, round: 1000, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{1 * time.Hour, 4 * day}, inquiry: 0.3,
		subjects: texts{
			hans:  {"话费充值失败钱没退", "充值{amount}未到账"},
			hant:  {"增值{amount}未到帳"},
			latin: {"Top-up paid but never credited"},
		},
		bodies: texts{
			hans:  {"{date}通过{merchant}给手机{phone}充值{amount}，付款成功但话费一直没到账，订单显示“充值中”。已经{days}天了。"},
			hant:  {"{date}經{merchant}增值{amount}，付款成功但一直沒有到帳，訂單顯示處理中。"},
			latin: {"I paid {amount} on {date} to top up through {merchant}. The payment went through but the credit never arrived; the order still says pending."},
		},
	},
	{
		name: "refund_delayed", category: CategoryRefund, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "retail", minor: [2]int64{2990, 899900}, txs: [2]int{1, 1}, txStatus: "refund_pending",
		ago: [2]time.Duration{7 * day, 40 * day},
		subjects: texts{
			hans:  {"退款迟迟不到账", "商家已同意退款，{days}天了还没收到", "退款显示成功但银行卡没收到"},
			hant:  {"退款遲遲未到帳", "商戶已同意退款，{days}天了還沒收到"},
			latin: {"Refund still not received after {days} days", "Where is my refund from {merchant}?"},
		},
		bodies: texts{
			hans: {
				"{date}在{merchant}买的{item}已经退货，商家{days}天前就同意退款{amount}，退款状态一直是“退款中”，钱到现在都没到账。订单号{order}。",
				"退款页面显示退款成功，说原路退回尾号{card}的{bank}卡，可是我查了银行流水根本没有这笔{amount}。问了银行，银行说没收到。",
			},
			hant: {"{date}在{merchant}買的{item}已退貨，商戶{days}天前已同意退款{amount}，但狀態一直是「退款中」，錢到現在還沒到帳。訂單號{order}。"},
			latin: {
				"I returned {item} to {merchant} and they approved a refund of {amount} {days} days ago. The status still says \"refund in progress\" and nothing has arrived. Order {order}.",
				"The app says my refund of {amount} went back to my card ending {card}, but my bank has no record of it.",
			},
		},
	},
	{
		name: "refund_refused", category: CategoryRefund, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "retail", minor: [2]int64{4990, 599900}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{3 * day, 25 * day},
		subjects: texts{
			hans:  {"商家拒绝退款", "七天无理由退货被拒", "{merchant}不给退款"},
			hant:  {"商戶拒絕退款"},
			latin: {"Merchant refuses my refund", "{merchant} rejected my return"},
		},
		bodies: texts{
			hans: {
				"{date}在{merchant}买了{item}，收到后发现质量有问题，申请退款被商家驳回，理由是“已拆封不退”。商品页面写明支持七天无理由退货，金额{amount}。",
				"买的{item}没有使用，申请退款{amount}，商家一直拖着不处理，后来直接关闭了退款申请。订单号{order}。",
			},
			hant:  {"{date}在{merchant}買了{item}，收到後發現有問題，申請退款被商戶拒絕。金額{amount}，訂單號{order}。"},
			latin: {"I bought {item} from {merchant} on {date} for {amount}. It arrived faulty and my refund request was rejected without explanation. Order {order}."},
		},
	},
	{
		name: "refund_partial", category: CategoryRefund, severity: complaint.SeverityLow,
		payee: toMerchant, sector: "travel", minor: [2]int64{19900, 680000}, txs: [2]int{1, 1}, txStatus: "partially_refunded",
		ago: [2]time.Duration{5 * day, 30 * day},
		subjects: texts{
			hans:  {"退款金额不对，少退了钱", "只退了一部分款"},
			hant:  {"退款金額不對，少退了錢"},
			latin: {"Only part of my money was refunded"},
		},
		bodies: texts{
			hans:  {"在{merchant}订{item}付了{amount}，取消后只退回了一部分，少了一大截。商家说是扣了手续费和优惠，但下单时并没有说明。订单号{order}。"},
			hant:  {"在{merchant}訂{item}付了{amount}，取消後只退回一部分，商戶說扣了手續費，但下單時沒有說明。"},
			latin: {"I paid {amount} to {merchant} for {item} and cancelled well in advance, but only part of the money came back. Nobody told me about any deductions. Order {order}."},
		},
	},
	{
		name: "scam_transfer", category: CategoryFraud, severity: complaint.SeverityHigh,
		payee: toPerson, minor: [2]int64{100000, 20000000}, round: 10000, txs: [2]int{1, 4}, txStatus: "success",
		ago: [2]time.Duration{30 * time.Minute, 3 * day},
		subjects: texts{
			hans:  {"被冒充客服骗走{total}", "刷单返利被骗，请求冻结对方账户", "遭遇诈骗转账，请帮忙拦截", "被冒充快递理赔骗了钱"},
			hant:  {"被冒充客服騙走{total}", "遇上詐騙轉帳，請協助攔截"},
			latin: {"Scammed into transferring {total}", "Fraudulent transfer — please freeze the recipient"},
		},
		bodies: texts{
			hans: {
				"{date}{time}接到自称“客服”的电话，说我的{item}订单有问题要理赔，让我按指引操作，我先后转账{total}给{counterparty}。挂电话后才发现被骗，已经报警，希望平台尽快冻结对方账户。",
				"网上看到兼职刷单广告，对方让我先垫付，前几单有返利，后面越垫越多，一共转给{counterparty}{total}，现在对方失联了。转账单号{txid}。",
				"有人冒充我的朋友借钱，我通过转账付了{amount}给{counterparty}，事后联系朋友才知道被骗。请求立即冻结收款账户。",
			},
			hant: {"{date}{time}接到自稱「客服」的電話，說我的訂單有問題要退款，叫我按指示操作，我先後轉帳{total}給{counterparty}。之後才發現受騙，已經報警，希望平台盡快凍結對方帳戶。"},
			latin: {
				"On {date} someone called pretending to be customer support and said my order needed a refund. Following their instructions I transferred {total} to {counterparty}. I have reported it to the police. Please freeze the receiving account.",
				"I answered a part-time job ad that asked me to prepay orders. After a few small payouts I sent {total} to {counterparty}, and now they have disappeared.",
			},
		},
	},
	{
		name: "phishing", category: CategoryFraud, severity: complaint.SeverityHigh,
		payee: toPerson, minor: [2]int64{50000, 3000000}, txs: [2]int{1, 2}, txStatus: "success",
		ago: [2]time.Duration{20 * time.Minute, 2 * day},
		subjects: texts{
			hans:  {"点了钓鱼短信链接后账户被扣款", "收到假冒平台的短信，输入验证码后钱没了"},
			hant:  {"點了釣魚短訊連結後帳戶被扣款"},
			latin: {"Phishing text led to money being taken", "Fake verification message, then {total} gone"},
		},
		bodies: texts{
			hans:  {"{date}收到短信说我的账户“存在异常需要验证”，点开链接输入了账号和验证码，随后账户被转出{total}。收款方{counterparty}，我从来没有授权过。"},
			hant:  {"{date}收到短訊說帳戶「異常需要驗證」，點入連結輸入了驗證碼，之後帳戶被轉走{total}，收款方{counterparty}。"},
			latin: {"On {date} I got a text saying my account needed verification. I opened the link and entered the code, and shortly after {total} was sent to {counterparty}. I never authorised this."},
		},
	},
	{
		name: "stolen_account", category: CategoryAccountSecurity, severity: complaint.SeverityHigh,
		payee: toMerchant, sector: "digital", minor: [2]int64{20000, 2000000}, txs: [2]int{2, 5}, txStatus: "success",
		ago: [2]time.Duration{1 * time.Hour, 2 * day},
		subjects: texts{
			hans:  {"账户被盗刷，{count}笔交易不是我本人操作", "账户被盗，余额被刷走", "半夜收到扣款提醒，账户被盗用"},
			hant:  {"帳戶被盜用，{count}筆交易非本人操作"},
			latin: {"Unauthorised payments on my account", "My account was hacked — {total} taken"},
		},
		bodies: texts{
			hans: {
				"{date}凌晨收到多条扣款通知，共{count}笔，合计{total}，都是在{merchant}消费的，不是我本人操作。我的手机一直在身边，也没有把密码告诉任何人。请立即冻结账户并追回资金。",
				"今天登录时发现密码被改了，找回后看到{count}笔陌生消费，合计{total}，收款方是{merchant}。登录设备记录里有一台陌生手机。",
			},
			hant: {"{date}凌晨收到多條扣款通知，共{count}筆，合共{total}，全部不是本人操作。請立即凍結帳戶並追回款項。"},
			latin: {
				"On {date} I received {count} payment alerts totalling {total} for purchases at {merchant} that I did not make. My phone has been with me the whole time. Please lock the account and recover the money.",
				"My password was changed without my knowledge and {count} payments totalling {total} were made to {merchant}. There is an unknown device in my login history.",
			},
		},
	},
	{
		name: "data_leak", category: CategoryPrivacy, severity: complaint.SeverityHigh,
		payee: toMerchant, sector: "food", minor: [2]int64{1990, 59900}, txs: [2]int{0, 1}, txStatus: "success",
		ago: [2]time.Duration{1 * day, 10 * day},
		subjects: texts{
			hans:  {"个人信息泄露，骗子知道我的订单详情", "怀疑平台泄露了我的购物信息"},
			hant:  {"個人資料外洩，騙徒知道我的訂單內容"},
			latin: {"My personal data has been leaked", "Scammers know my order details"},
		},
		bodies: texts{
			hans: {
				"{date}在{merchant}下单后第二天就接到陌生电话，对方准确说出了我的姓名、手机号、收货地址和订单金额{amount}，冒充客服要给我“退款”。我怀疑信息是从平台或商家泄露的，请调查。",
				"我的手机号{phone}只在你们平台登记过，最近每天都有人打电话来推销贷款，还能叫出我的全名。要求说明我的个人信息被谁查看过、给了谁。",
			},
			hant: {"{date}在{merchant}下單後，第二天就有陌生人來電，準確說出我的姓名、電話、地址及訂單金額{amount}。懷疑資料由平台或商戶外洩，請調查。"},
			latin: {
				"A day after ordering from {merchant} on {date}, a stranger called me and knew my full name, address and the order amount of {amount}. I believe my data leaked from your platform or the merchant. Please investigate.",
				"I want to know who has accessed my personal information. Ever since I registered I get daily calls from loan sellers who know my full name.",
			},
		},
	},
	{
		name: "harassment_calls", category: CategoryPrivacy, severity: complaint.SeverityMedium,
		payee: noTransaction, ago: [2]time.Duration{day, 20 * day},
		subjects: texts{
			hans:  {"频繁收到骚扰电话和营销短信", "未经同意被推送营销信息，退订无效"},
			hant:  {"頻繁收到滋擾電話及推廣短訊"},
			latin: {"Constant marketing calls and texts", "Unsubscribing does not work"},
		},
		bodies: texts{
			hans: {
				"最近{days}天每天都收到好几个营销电话和短信，说是合作方的贷款产品。我从来没有同意过把信息给第三方，短信里的退订回复了也没用。",
				"关闭了所有营销通知，还是不停收到推销短信，一天十几条，严重影响生活，请停止并说明我的信息是怎么被拿到的。",
			},
			hant:  {"最近{days}天每天都收到幾通推銷電話和短訊，我從來沒有同意把資料交給第三方，回覆取消訂閱也沒用。"},
			latin: {"For the past {days} days I have had several sales calls and texts a day about partner loan products. I never agreed to share my details with third parties, and replying STOP does nothing."},
		},
	},
	{
		name: "rude_agent", category: CategoryService, severity: complaint.SeverityLow,
		payee: noTransaction, sector: "retail", ago: [2]time.Duration{2 * time.Hour, 5 * day},
		subjects: texts{
			hans:  {"客服态度恶劣", "投诉客服敷衍推诿", "人工客服直接挂断电话"},
			hant:  {"客服態度惡劣"},
			latin: {"Rude customer service", "The agent hung up on me"},
		},
		bodies: texts{
			hans: {
				"{date}打客服电话咨询{merchant}订单的问题，客服语气很不耐烦，我问了两遍就说“系统就这样你等着”，然后挂了电话。希望对这位客服进行处理。",
				"联系了三次在线客服，每次都让我“再等等”，问具体原因就说不知道，最后直接结束会话。这种服务态度让人很失望。",
			},
			hant: {"{date}致電客服查詢訂單，客服語氣很不耐煩，問了兩次就說「系統就是這樣」然後掛線。"},
			latin: {
				"I called support on {date} about my order from {merchant}. The agent was impatient, told me \"that's just how the system works\" and hung up.",
				"I contacted live chat three times. Each time I was told to wait, nobody could explain anything, and the chat was closed on me.",
			},
		},
	},
	{
		name: "no_response", category: CategoryService, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "retail", minor: [2]int64{2990, 259900}, txs: [2]int{0, 1}, txStatus: "success",
		ago: [2]time.Duration{4 * day, 20 * day},
		subjects: texts{
			hans:  {"问题提交{days}天无人处理", "反馈多次没人回复", "智能客服一直转不了人工"},
			hant:  {"問題提交{days}天仍無人處理"},
			latin: {"No response for {days} days", "I cannot reach a human"},
		},
		bodies: texts{
			hans: {
				"{days}天前提交了关于{amount}扣款的工单，到现在没有任何人联系我，工单状态一直是“处理中”。",
				"在线客服全是机器人，输入“人工”也转不过去，电话排队{hours}小时没人接。我的问题很简单，就是想知道{txid}这笔钱去哪了。",
			},
			hant: {"{days}天前提交了有關{amount}扣款的查詢，到現在仍沒有人聯絡我。"},
			latin: {
				"I raised a ticket about a {amount} charge {days} days ago and nobody has contacted me since. It just says \"in progress\".",
				"The chat bot never hands over to a person and the hotline queue kept me waiting for {hours} hours. All I want to know is where payment {txid} went.",
			},
		},
	},
	{
		name: "non_delivery", category: CategoryMerchantDispute, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "retail", minor: [2]int64{5990, 999900}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{6 * day, 35 * day},
		subjects: texts{
			hans:  {"付款后商家迟迟不发货", "{merchant}收钱不发货", "下单{days}天未发货，商家失联"},
			hant:  {"付款後商戶遲遲不發貨"},
			latin: {"Paid but the item never shipped", "{merchant} took my money and never delivered"},
		},
		bodies: texts{
			hans: {
				"{date}在{merchant}买了{item}，付款{amount}，商家承诺48小时内发货，到现在{days}天了物流信息一直没有更新，联系商家也不回复。订单号{order}。",
				"预订的{item}付了全款{amount}，商家一再拖延发货，现在店铺客服已经不回消息了。请平台帮忙追回货款。",
			},
			hant:  {"{date}在{merchant}買了{item}，付款{amount}，商戶答應48小時內發貨，但{days}天了物流資料一直沒更新，聯絡商戶也沒有回覆。訂單號{order}。"},
			latin: {"I ordered {item} from {merchant} on {date} and paid {amount}. They promised to ship within 48 hours; {days} days later there is still no tracking and they do not answer. Order {order}."},
		},
	},
	{
		name: "not_as_described", category: CategoryMerchantDispute, severity: complaint.SeverityMedium,
		payee: toMerchant, sector: "retail", minor: [2]int64{3990, 699900}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{4 * day, 25 * day},
		subjects: texts{
			hans:  {"收到的商品与描述严重不符", "货不对板，商家拒不处理", "买到假货要求退款"},
			hant:  {"收到的貨品與描述不符"},
			latin: {"Item not as described", "I received a counterfeit"},
		},
		bodies: texts{
			hans: {
				"在{merchant}买的{item}，页面写的是正品全新，收到的明显是二手货，包装破损，还有使用痕迹。要求退款{amount}，商家只同意补偿10元优惠券。",
				"商品详情写的尺寸、颜色和收到的完全不一样，联系商家说“图片仅供参考”。订单号{order}，金额{amount}。",
			},
			hant: {"在{merchant}買的{item}，頁面寫全新正品，收到的卻明顯是二手貨。要求退款{amount}，商戶拒絕。"},
			latin: {
				"The {item} I bought from {merchant} was listed as brand new but arrived clearly used, with damaged packaging. I want a refund of {amount}; the merchant only offers a voucher.",
				"What arrived does not match the listing at all. {merchant} says the photos are \"for reference only\". Order {order}, {amount}.",
			},
		},
	},
	{
		name: "prepaid_runaway", category: CategoryMerchantDispute, severity: complaint.SeverityHigh,
		payee: toMerchant, sector: "prepaid", minor: [2]int64{99900, 1280000}, round: 10000, txs: [2]int{1, 2}, txStatus: "success",
		ago: [2]time.Duration{30 * day, 200 * day},
		subjects: texts{
			hans:  {"预付卡商家跑路，余额无法退还", "{merchant}突然关门，充值的钱怎么办", "办了{item}没几次店就关了"},
			hant:  {"預付卡商戶倒閉，餘額無法退還"},
			latin: {"Prepaid membership — the business has closed", "{merchant} vanished with my prepaid balance"},
		},
		bodies: texts{
			hans: {
				"{date}在{merchant}办了{item}，通过平台付款{amount}，只用了几次，上周门店突然关门，电话也打不通，很多会员都找不到人。请求平台协助追回剩余费用。",
				"{merchant}一直催我续费，我充了{total}，结果没过多久就停业了，店门上贴着“装修暂停营业”，老板失联。",
			},
			hant:  {"{date}在{merchant}辦了{item}，透過平台付款{amount}，只用了幾次，門店突然關閉，電話也打不通。請平台協助追回餘款。"},
			latin: {"I paid {merchant} {amount} for {item} on {date}. After only a few visits the shop closed without notice and nobody answers the phone. Please help me recover the unused balance."},
		},
	},
	{
		name: "unexpected_fee", category: CategoryFees, severity: complaint.SeverityLow,
		payee: toPlatform, sector: "retail", minor: [2]int64{200, 5000}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{day, 15 * day}, inquiry: 0.4,
		subjects: texts{
			hans:  {"提现被收取手续费，事先没有提示", "莫名其妙被扣服务费", "收费标准不透明"},
			hant:  {"提款被收手續費，事前沒有提示"},
			latin: {"Unexpected withdrawal fee", "Unknown service fee on my account"},
		},
		bodies: texts{
			hans: {
				"{date}把余额提现到{bank}卡，被扣了{amount}手续费，提现时没看到任何提示。要求说明收费依据并退回。",
				"账单里有一笔{amount}的“服务费”，我不知道是什么服务，也没有开通过任何收费项目。",
			},
			hant: {"{date}把餘額提取到{bank}戶口，被扣了{amount}手續費，事前沒有任何提示。"},
			latin: {
				"I withdrew my balance to my bank on {date} and was charged a {amount} fee that was never shown to me. Please explain and refund it.",
				"There is a {amount} \"service fee\" on my statement. I never signed up for any paid service.",
			},
		},
	},
	{
		name: "auto_renewal", category: CategoryFees, severity: complaint.SeverityLow,
		payee: toMerchant, sector: "digital", minor: [2]int64{1500, 29800}, round: 100, txs: [2]int{2, 4}, txStatus: "success",
		ago: [2]time.Duration{day, 20 * day}, inquiry: 0.2,
		subjects: texts{
			hans:  {"自动续费未提前通知就扣款", "取消不了自动续费", "{merchant}会员被自动扣费"},
			hant:  {"自動續費未有通知就扣款"},
			latin: {"Auto-renewal charged without notice", "I cannot cancel my subscription"},
		},
		bodies: texts{
			hans: {
				"之前为了领优惠开通了{merchant}的会员，{date}被自动扣款{amount}续费，扣款前没有任何提醒。我早就不用了，要求退款并关闭自动续费。",
				"在设置里找不到关闭{merchant}自动续费的入口，每个月都被扣{amount}，已经扣了{count}次，合计{total}。",
			},
			hant:  {"之前開通了{merchant}會員，{date}被自動扣款{amount}續費，事前沒有任何提醒。"},
			latin: {"I signed up for a {merchant} membership to get a discount. On {date} I was auto-charged {amount} for renewal with no reminder. I want a refund and the auto-renewal cancelled."},
		},
	},
	{
		name: "account_frozen", category: CategoryAccountFrozen, severity: complaint.SeverityMedium,
		payee: noTransaction, minor: [2]int64{10000, 10000000}, ago: [2]time.Duration{day, 15 * day},
		subjects: texts{
			hans:  {"账户被冻结无法使用", "收款功能被限制，生意做不了", "余额被冻结，要求解冻"},
			hant:  {"帳戶被凍結無法使用"},
			latin: {"Account frozen without explanation", "Payments blocked on my business account"},
		},
		bodies: texts{
			hans: {
				"{date}开始账户突然被冻结，余额{amount}无法使用也无法提现，没有收到任何通知和原因。我是正常做小生意收款的，请尽快解冻。",
				"收款码被限制收款，提示“账户存在风险”。我按要求上传了身份证和营业执照，{days}天了还没有结果，每天损失很大。",
			},
			hant: {"{date}開始帳戶突然被凍結，餘額{amount}無法使用，也沒有收到任何通知。"},
			latin: {
				"Since {date} my account has been frozen with a balance of {amount}. I received no notice and no reason. Please unfreeze it.",
				"My QR code can no longer receive payments — it says the account is at risk. I uploaded my ID {days} days ago and have heard nothing.",
			},
		},
	},
	{
		name: "credit_instalment_fee", category: CategoryCredit, severity: complaint.SeverityMedium,
		payee: toPlatform, sector: "retail", minor: [2]int64{5000, 300000}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{2 * day, 30 * day}, inquiry: 0.3,
		subjects: texts{
			hans:  {"先享后付分期利息与宣传不符", "说好的免息分期却收了手续费"},
			hant:  {"先享後付分期利息與宣傳不符"},
			latin: {"\"Interest-free\" instalments charged fees"},
		},
		bodies: texts{
			hans:  {"用先享后付分期在{merchant}买了{item}，页面宣传“免息”，实际账单每期都收了手续费，总共多付了{amount}。"},
			hant:  {"用先享後付分期在{merchant}買了{item}，宣傳說「免息」，但每期帳單都收了手續費，合共多付了{amount}。"},
			latin: {"I used buy-now-pay-later instalments for {item} from {merchant}, advertised as interest-free, but every bill includes a fee — {amount} extra in total."},
		},
	},
	{
		name: "credit_false_overdue", category: CategoryCredit, severity: complaint.SeverityMedium,
		payee: toPlatform, sector: "retail", minor: [2]int64{1000, 20000}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{day, 20 * day},
		subjects: texts{
			hans:  {"没有逾期却被记录逾期", "按时还款还被收违约金"},
			hant:  {"按時還款卻被記錄逾期"},
			latin: {"Late payment recorded although I paid on time"},
		},
		bodies: texts{
			hans:  {"我每个月都按时还款，{date}收到提醒说我逾期了，还产生了{amount}违约金，我有还款记录截图。要求撤销逾期记录。"},
			hant:  {"我每個月都按時還款，{date}收到通知說我逾期，還被收了{amount}違約金，我有還款紀錄截圖。"},
			latin: {"I have paid every month on time, but on {date} I was told I was overdue and charged a {amount} late fee. I have proof of payment."},
		},
	},
	{
		name: "promo_not_credited", category: CategoryMarketing, severity: complaint.SeverityLow,
		payee: toMerchant, sector: "food", minor: [2]int64{500, 20000}, txs: [2]int{1, 1}, txStatus: "success",
		ago: [2]time.Duration{day, 20 * day}, inquiry: 0.35,
		subjects: texts{
			hans:  {"活动返现没有到账", "满减优惠没有生效", "红包领取后无法使用"},
			hant:  {"推廣回贈沒有到帳"},
			latin: {"Cashback never credited", "Promotion did not apply at checkout"},
		},
		bodies: texts{
			hans: {
				"参加了“支付满减”活动，在{merchant}消费{amount}后应该返现，但活动页面显示“不符合条件”，规则里根本没写这个限制。",
				"领取了红包去{merchant}付款，付款时红包没有抵扣，多付了钱。客服说红包已过期，可领取时显示有效期7天。",
			},
			hant: {"參加了付款回贈活動，在{merchant}消費{amount}後應有回贈，但頁面顯示「不符合資格」，條款裡沒有寫明。"},
			latin: {
				"I joined the cashback promotion and spent {amount} at {merchant}, but the page now says I am \"not eligible\" — that condition is nowhere in the rules.",
				"I claimed a voucher and paid {merchant}, but it did not apply. Support says it expired, although it showed 7 days' validity.",
			},
		},
	},
}
