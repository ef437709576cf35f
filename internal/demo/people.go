package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// Everything here is invented: names are drawn from common given names and
// surnames, emails use the reserved example.* domains, and phone numbers
// are random. Mainland numbers have the real mobile format (11 digits,
// 1[3-9]x) and so may exist, but are not anyone's on purpose; US and UK
// numbers are taken from the ranges set aside for fiction (555-01xx,
// 07700 900xxx).

// region is where a customer lives: it decides their script, language tag,
// currency, phone numbers and time zone.
type region struct {
	lang     string
	script   script
	currency string
	rate     float64 // units of currency per CNY, roughly
	zone     *time.Location
	phone    func(r *rand.Rand) string
}

var (
	zoneChina = time.FixedZone("CST", 8*3600)
	zoneNY    = time.FixedZone("EST", -5*3600)
	zoneUK    = time.FixedZone("GMT", 0)
)

var (
	regionCN    = region{lang: "zh-CN", script: hans, currency: "CNY", rate: 1, zone: zoneChina, phone: mainlandPhone}
	regionHK    = region{lang: "zh-HK", script: hant, currency: "HKD", rate: 1.09, zone: zoneChina, phone: hongKongPhone}
	regionTW    = region{lang: "zh-TW", script: hant, currency: "TWD", rate: 4.4, zone: zoneChina, phone: taiwanPhone}
	regionUS    = region{lang: "en-US", script: latin, currency: "USD", rate: 0.14, zone: zoneNY, phone: usPhone}
	regionUK    = region{lang: "en-GB", script: latin, currency: "GBP", rate: 0.11, zone: zoneUK, phone: ukPhone}
	regionExpat = region{lang: "en", script: latin, currency: "CNY", rate: 1, zone: zoneChina, phone: mainlandPhone}
)

// regionWeights: mostly mainland customers writing simplified Chinese,
// some in Hong Kong and Taiwan writing traditional Chinese, and English
// speakers abroad and in China.
var regionWeights = []struct {
	r region
	w int
}{{regionCN, 62}, {regionHK, 5}, {regionTW, 3}, {regionUS, 11}, {regionUK, 8}, {regionExpat, 11}}

func pickRegion(r *rand.Rand) region {
	n := r.IntN(100)
	for _, rw := range regionWeights {
		if n < rw.w {
			return rw.r
		}
		n -= rw.w
	}
	return regionCN
}

// customer is a person who complains.
type customer struct {
	complaint.Customer
	region region
	demo   int // 1 or 2 for the demo customers, who have accounts; 0 otherwise
}

type romanised struct{ hanzi, latin string }

var (
	surnamesHans = []romanised{{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"罗", "luo"}, {"高", "gao"}, {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"}}
	givenHans    = []romanised{{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"磊", "lei"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"}, {"杰", "jie"}, {"晓雯", "xiaowen"}, {"子涵", "zihan"}, {"浩然", "haoran"}, {"雨桐", "yutong"}, {"宇轩", "yuxuan"}, {"欣怡", "xinyi"}, {"俊杰", "junjie"}, {"思远", "siyuan"}, {"佳琪", "jiaqi"}, {"建国", "jianguo"}, {"秀英", "xiuying"}, {"志强", "zhiqiang"}, {"丽华", "lihua"}, {"海峰", "haifeng"}, {"梦瑶", "mengyao"}, {"一鸣", "yiming"}, {"春燕", "chunyan"}, {"文博", "wenbo"}, {"晨曦", "chenxi"}, {"国平", "guoping"}}
	surnamesHant = []romanised{{"陳", "chan"}, {"黃", "wong"}, {"張", "cheung"}, {"林", "lam"}, {"李", "lee"}, {"王", "wong"}, {"吳", "ng"}, {"劉", "lau"}, {"蔡", "choi"}, {"楊", "yeung"}, {"許", "hui"}, {"鄭", "cheng"}, {"謝", "tse"}, {"郭", "kwok"}, {"梁", "leung"}, {"何", "ho"}, {"曾", "tsang"}, {"周", "chow"}, {"廖", "liu"}, {"賴", "lai"}}
	givenHant    = []romanised{{"志明", "chiming"}, {"嘉欣", "kayan"}, {"家豪", "kaho"}, {"詠琪", "wingkei"}, {"俊傑", "chunkit"}, {"淑芬", "shufen"}, {"雅婷", "yating"}, {"冠宇", "kuanyu"}, {"美玲", "meiling"}, {"建宏", "chienhung"}, {"佩珊", "puishan"}, {"子軒", "tzuhsuan"}, {"凱琳", "hoilam"}, {"偉倫", "wailun"}}
	firstNames   = []string{"Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Lucas", "Mia", "Arjun", "Priya", "Hannah", "Omar", "Fatima", "Daniel", "Chloe", "James", "Grace", "Mateo", "Zoe", "Samuel", "Aisha", "Ryan", "Isabel", "Kwame", "Yuki", "Leah", "Marcus"}
	lastNames    = []string{"Smith", "Johnson", "Brown", "Taylor", "Wilson", "Martin", "Clarke", "Patel", "Nguyen", "Garcia", "Kim", "O'Brien", "Rossi", "Tan", "Lim", "Singh", "Cohen", "Silva", "Walker", "Hughes", "Okafor", "Novak", "Fischer", "Reyes"}
	mailDomains  = []string{"example.com", "example.net", "example.org"}
)

// newCustomer invents a customer of a random region.
func newCustomer(r *rand.Rand) customer {
	reg := pickRegion(r)
	var name, handle string
	switch reg.script {
	case hans:
		s, g := pick(r, surnamesHans), pick(r, givenHans)
		name, handle = s.hanzi+g.hanzi, s.latin+"."+g.latin
	case hant:
		s, g := pick(r, surnamesHant), pick(r, givenHant)
		name, handle = s.hanzi+g.hanzi, s.latin+"."+g.latin
	default:
		f, l := pick(r, firstNames), pick(r, lastNames)
		name = f + " " + l
		handle = strings.ToLower(f + "." + strings.ReplaceAll(l, "'", ""))
	}
	c := customer{region: reg}
	c.ID = fmt.Sprintf("CU%010d", r.Int64N(1e10))
	c.Name = name
	c.Phone = reg.phone(r)
	if r.IntN(5) > 0 { // hotline callers often leave no email
		if r.IntN(2) == 0 {
			handle += fmt.Sprint(r.IntN(90) + 10)
		}
		c.Email = handle + "@" + pick(r, mailDomains)
	}
	return c
}

var mainlandPrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "191", "198", "199"}

// mainlandPhone returns a number in mainland China's mobile format,
// written the ways customers write it.
func mainlandPhone(r *rand.Rand) string {
	p, a, b := pick(r, mainlandPrefixes), r.IntN(10000), r.IntN(10000)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%s%04d%04d", p, a, b)
	case 1:
		return fmt.Sprintf("+86 %s %04d %04d", p, a, b)
	default:
		return fmt.Sprintf("%s-%04d-%04d", p, a, b)
	}
}

func hongKongPhone(r *rand.Rand) string {
	return fmt.Sprintf("+852 %d%03d %04d", []int{5, 6, 9}[r.IntN(3)], r.IntN(1000), r.IntN(10000))
}

func taiwanPhone(r *rand.Rand) string {
	return fmt.Sprintf("09%02d-%03d-%03d", r.IntN(100), r.IntN(1000), r.IntN(1000))
}

// usPhone uses 555-0100 to 555-0199, reserved for fiction.
func usPhone(r *rand.Rand) string {
	return fmt.Sprintf("+1 %s-555-01%02d", []string{"212", "415", "312", "206", "617"}[r.IntN(5)], r.IntN(100))
}

// ukPhone uses 07700 900000 to 07700 900999, reserved for drama.
func ukPhone(r *rand.Rand) string { return fmt.Sprintf("+44 7700 900%03d", r.IntN(1000)) }

// maskedPhone shows a phone number the way a wallet app does: 138****5678.
func maskedPhone(phone string) string {
	var digits []byte
	for i := 0; i < len(phone); i++ {
		if phone[i] >= '0' && phone[i] <= '9' {
			digits = append(digits, phone[i])
		}
	}
	if len(digits) < 7 {
		return phone
	}
	if len(digits) > 11 { // drop a country code
		digits = digits[len(digits)-11:]
	}
	return string(digits[:3]) + "****" + string(digits[len(digits)-4:])
}

// payeeName invents the holder of an account money was sent to, masked
// the way a wallet shows it.
func payeeName(r *rand.Rand, s script) string {
	switch s {
	case hans:
		return "*" + pick(r, givenHans).hanzi
	case hant:
		return "*" + pick(r, givenHant).hanzi
	default:
		return pick(r, firstNames)[:1] + ". " + pick(r, lastNames)
	}
}

// merchant is a business customers pay through the platform.
type merchant struct {
	id     string
	sector string
	names  [nScripts]string
	items  texts // what it sells, when narrower than its sector's items
}

// DemoMerchantID is the merchant of the demo merchant account; many demo
// complaints name it.
const DemoMerchantID = "MCH20240017"

var merchants = []merchant{
	{DemoMerchantID, "retail", [nScripts]string{"悦享生活旗舰店", "悅享生活旗艦店", "Yuexiang Life Flagship Store"}, texts{}},
	{"MCH20190342", "retail", [nScripts]string{"青禾数码专营店", "青禾數碼專營店", "Qinghe Digital"}, texts{}},
	{"MCH20210588", "retail", [nScripts]string{"优品家居馆", "優品家居館", "Youpin Home"}, texts{}},
	{"MCH20220913", "retail", [nScripts]string{"北极光户外", "北極光戶外", "Aurora Outdoor"}, texts{}},
	{"MCH20180077", "food", [nScripts]string{"鲜到家生鲜", "鮮到家生鮮", "FreshHome Grocery"}, texts{hans: {"生鲜礼盒", "水果拼盘"}, hant: {"生鮮禮盒"}, latin: {"a grocery box", "a fruit platter"}}},
	{"MCH20230121", "food", [nScripts]string{"小满餐饮", "小滿餐飲", "Xiaoman Kitchen"}, texts{hans: {"外卖订单", "年夜饭套餐"}, hant: {"外賣訂單"}, latin: {"a takeaway order", "a set dinner"}}},
	{"MCH20230456", "food", [nScripts]string{"一杯茶饮", "一杯茶飲", "OneCup Tea"}, texts{hans: {"奶茶套餐"}, hant: {"奶茶套餐"}, latin: {"a bubble tea set"}}},
	{"MCH20170510", "travel", [nScripts]string{"途悠旅行", "途悠旅行", "TripEase Travel"}, texts{hans: {"机票", "旅游套餐"}, hant: {"機票", "旅遊套票"}, latin: {"a flight", "a holiday package"}}},
	{"MCH20200733", "travel", [nScripts]string{"云栖酒店", "雲棲酒店", "Cloudrest Hotels"}, texts{hans: {"酒店预订"}, hant: {"酒店預訂"}, latin: {"a hotel booking"}}},
	{"MCH20210064", "travel", [nScripts]string{"畅行出行", "暢行出行", "SwiftRide"}, texts{hans: {"网约车行程", "高铁票"}, hant: {"網約車行程"}, latin: {"a ride", "a train ticket"}}},
	{"MCH20220418", "prepaid", [nScripts]string{"动力派健身", "動力派健身", "PowerPlus Fitness"}, texts{hans: {"健身年卡", "私教课程包"}, hant: {"健身年卡"}, latin: {"an annual gym membership", "a personal training package"}}},
	{"MCH20220815", "prepaid", [nScripts]string{"启明少儿编程", "啟明少兒編程", "Qiming Kids Coding"}, texts{hans: {"编程课程包"}, hant: {"編程課程套票"}, latin: {"a coding course package"}}},
	{"MCH20210907", "prepaid", [nScripts]string{"丽颜美容会所", "麗顏美容會所", "Liyan Beauty Club"}, texts{hans: {"美容储值卡"}, hant: {"美容儲值卡"}, latin: {"a stored-value beauty card"}}},
	{"MCH20230302", "prepaid", [nScripts]string{"洁车坊洗车", "潔車坊洗車", "CleanCar Wash"}, texts{hans: {"洗车次卡"}, hant: {"洗車套票"}, latin: {"a 20-wash pass"}}},
	{"MCH20190625", "digital", [nScripts]string{"星河视频会员", "星河影音會員", "Galaxy Video"}, texts{hans: {"视频会员", "年度会员"}, hant: {"影音會員"}, latin: {"a streaming subscription", "an annual membership"}}},
	{"MCH20200219", "digital", [nScripts]string{"乐游游戏", "樂遊遊戲", "LeYou Games"}, texts{hans: {"游戏充值", "游戏月卡"}, hant: {"遊戲增值"}, latin: {"game credit", "a monthly game pass"}}},
	{"MCH20180930", "telecom", [nScripts]string{"快充话费", "快充話費", "QuickTop Mobile"}, texts{hans: {"话费充值", "流量包"}, hant: {"電話增值"}, latin: {"a phone top-up", "a data pack"}}},
}

// items are what customers buy in each sector.
var items = map[string]texts{
	"retail": {
		hans:  {"蓝牙耳机", "空气炸锅", "扫地机器人", "电动牙刷", "羽绒服", "运动鞋", "护肤品套装", "机械键盘", "儿童安全座椅", "咖啡机"},
		hant:  {"藍牙耳機", "氣炸鍋", "掃地機械人", "電動牙刷", "羽絨服", "運動鞋", "護膚品套裝", "機械鍵盤"},
		latin: {"wireless earbuds", "an air fryer", "a robot vacuum", "an electric toothbrush", "a down jacket", "running shoes", "a skincare set", "a mechanical keyboard", "a child car seat", "a coffee machine"},
	},
	"food": {
		hans:  {"生鲜礼盒", "外卖订单", "奶茶套餐", "水果拼盘", "年夜饭套餐"},
		hant:  {"生鮮禮盒", "外賣訂單", "奶茶套餐"},
		latin: {"a grocery box", "a takeaway order", "a bubble tea set", "a fruit platter"},
	},
	"travel": {
		hans:  {"机票", "酒店预订", "高铁票", "网约车行程", "旅游套餐"},
		hant:  {"機票", "酒店預訂", "旅遊套票"},
		latin: {"a flight", "a hotel booking", "a train ticket", "a ride", "a holiday package"},
	},
	"prepaid": {
		hans:  {"健身年卡", "编程课程包", "美容储值卡", "洗车次卡"},
		hant:  {"健身年卡", "課程套票", "美容儲值卡"},
		latin: {"an annual membership", "a course package", "a stored-value card", "a 20-wash pass"},
	},
	"digital": {
		hans:  {"年度会员", "游戏充值", "话费充值", "视频会员"},
		hant:  {"年度會員", "遊戲增值", "電話增值"},
		latin: {"an annual membership", "game credit", "a phone top-up", "a streaming subscription"},
	},
}

var banks = texts{
	hans:  {"招商银行", "工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "浦发银行", "平安银行"},
	hant:  {"滙豐", "中銀香港", "恒生", "渣打"},
	latin: {"Visa debit card", "Mastercard credit card", "debit card", "credit card"},
}

// platformPayees name the platform's own services that charge fees.
var platformPayees = texts{
	hans:  {"余额提现服务费", "先享后付分期服务费"},
	hant:  {"餘額提取手續費", "先享後付分期手續費"},
	latin: {"Withdrawal fee", "Pay-later instalment fee"},
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func merchantsOf(sector string) []merchant {
	var out []merchant
	for _, m := range merchants {
		if m.sector == sector {
			out = append(out, m)
		}
	}
	return out
}
