package sentiment

// The lexicon, written for this project. Chinese terms are in Simplified
// script; Traditional text is mapped onto it before matching. English
// terms are lower case and match whole words; a trailing * matches any
// ending ("refus*": refuse, refused, refusing). Terms are separated by |.
//
// Matching takes the longest term at each position, so compounds listed
// here win over their parts: 不满意 is one negative term, not 不 + 满意,
// and 快递 (courier) is neutral rather than 快 (fast).

var lexicon = []group{
	// Neutral entries only stop a shorter, misleading match.
	{kind: neutral, terms: "快递|快递员|快要|尽快|快点|赶快|好像|好几|好多|只好|好不容易|好的|问好|您好|你好|不过|不仅|不久|不同|不用|不管|不论|不知道|不清楚|不得不|不一定|没想到|无论|无所谓|问题是|差不多|差价|补差|差额|出差|差点|一般来说|贵司|贵公司|贵方|宝贵|尊贵|贵州|香港|香菜|滚动|认真|真实|真正|真相|天真|超市|超过|别人|区别|分别|级别|类别|个别|特别是|未来|人行道|太平洋|非商责"},
	{kind: neutral, terms: "not only|no matter|no longer|nothing but|press 1|press one"},

	{kind: negator, terms: "不|没|没有|别|未|无|非|不太|不是|并不|并没有|毫不|从不|从没|从未|一点也不|一点都不|根本不|根本没|不够|不怎么|不算"},
	{kind: negator, terms: "not|no|never|dont|didnt|doesnt|isnt|wasnt|cant|wont|couldnt|havent|don't|doesn't|didn't|isn't|wasn't|aren't|weren't|can't|cannot|couldn't|won't|wouldn't|haven't|hasn't|hadn't|shouldn't|hardly|without|nothing|neither|nor"},
	{kind: intensifier, terms: "很|非常|太|特别|极其|超级|十分|相当|真|真的|巨|超|极|实在|简直|格外|越来越"},
	{kind: intensifier, terms: "very|so|really|extremely|totally|absolutely|completely|incredibly|truly|highly|super|too"},

	{kind: positive, weight: 1, terms: "满意|不错|棒|赞|优秀|感谢|谢谢|及时|快|方便|专业|耐心|热情|周到|好评|推荐|喜欢|开心|高兴|给力|完美|值得|划算|实惠|好吃|新鲜|准时|解决了|已解决|顺利|放心|贴心|点赞|物美价廉|性价比高|价效比高|超值|舒服|漂亮|清楚|满分|五星|好用|正品|靠谱|认可|感动|负责|好|美味|香|积极|可口|干净|乾净|流畅|稳定|到位|迅速|省心|惊喜|好看|合适|厚道|用心|细心|礼貌|信赖"},
	{kind: positive, weight: 0.5, terms: "还行|可以|还可以|还好|凑合|一般般|挺好"},
	{kind: negative, weight: 0.5, terms: "无法|没法|不能|没办法|无奈|无语|无聊"},
	{kind: negative, weight: 1.5, terms: "好慢|好差|好烂|好贵|好难吃|好坑|巨难吃|非法"},
	{kind: positive, weight: 1, terms: "good|great|excellent|happy|satisfied|thank*|appreciat*|helpful|resolved|quick*|fast|love*|perfect|amazing|awesome|recommend*|pleased|glad|fair|professional|friendly|easy|wonderful|nice|fantastic|delicious|fresh|prompt*|polite|courteous"},

	{kind: negative, weight: 1, terms: "差|失望|不满|不满意|慢|难吃|难用|问题|故障|坏了|破损|质量差|假货|欺骗|拖延|推诿|敷衍|拒绝|不退|不给退|不予|拒不|迟迟不|迟迟没有|至今未|至今没有|一直没|一直不|仍未|不处理|不回复|不回覆|被骗|骗了|没人管|没人理|无人处理|不理|不管不问|被盗|盗刷|冻结|扣款|乱扣费|多扣|重复扣款|退款难|维权|损失|糟糕|后悔|上当|受骗|难受|生气|不合理|不公平|不靠谱|凉了|冷了|少了|漏发|送错|发错|迟到|超时|太久|等了|还没|不行|不好|不能用|用不了|坑|贵|难喝|咸|淡|油腻|难闻|恶劣|差劲|烂|差评|退货|投诉|麻烦|怎么回事|搞什么|凭什么|为什么|异常|错误|失败|无效|不到账|没到账|未到账|没收到|未收到|不发货|虚假|误导|套路|乱收费|霸王|强制|被扣|扣了|擅自|未经|莫名其妙"},
	{kind: negative, weight: 0.3, terms: "一般|勉强|将就"},
	{kind: negative, weight: 1, terms: "bad|poor*|terrible|horrible|awful|worst|worse|disappoint*|unhappy|dissatisfied|frustrat*|upset|annoy*|complain*|problem*|error*|wrong*|fail*|refus*|denied|deny|denies|delay*|never received|still waiting|unresolved|ignor*|rude|unfair*|unauthorized|overcharg*|charged twice|double charged|stolen|lost|damaged|broken|late|slow|mislead*|misled|deceptive|deceiv*|harass*|threaten*|stress*|nightmare|inaccurate|incorrect|mistake*|unable|useless|hidden fee*|excessive|bogus|negligen*"},

	{kind: anger, terms: "气死|气炸|愤怒|骗子|诈骗|垃圾|无耻|欺诈|坑人|坑爹|忍无可忍|太过分|过分|恶心|滚|妈的|他妈|黑心|流氓|强盗|混蛋|王八蛋|傻逼|什么玩意|岂有此理|欺人太甚|霸王条款|无良|奸商|忽悠|骗钱|吃相难看|不要脸|丧心病狂|火大|气愤|愤慨|憋屈|窝火|抢钱|骗人|黑店|良心被狗吃"},
	{kind: anger, terms: "angry|furious|outrag*|livid|scam*|fraudulent|ridiculous|unacceptable|disgust*|pissed|fed up|sick of|sick and tired|rip off|ripoff|ripped off|liar*|lying|thieves|thief|crook*|incompetent|pathetic|shameful|how dare|predatory|infuriat*|enraged|absurd|insult*|criminal*|disgrace*|appalling|atrocious"},

	{kind: distress, terms: "救命|救救我|走投无路|无路可走|绝望|崩溃|家破人亡|倾家荡产|急需用钱|生活费|交不起房租|付不起房租|房租都交不起|交不起|付不起|吃不上饭|看病的钱|看病钱|救命钱|医药费|住院|手术费|失业|孩子上学|养老钱|血汗钱|全部积蓄|一辈子的积蓄|求求你们|求求了|跪求|走投无路了|撑不下去"},
	{kind: distress, terms: "desperate*|can't pay rent|cannot pay rent|can't pay my rent|cannot pay my rent|unable to pay rent|unable to pay my rent|can't afford|cannot afford|homeless*|evict*|lose my home|losing my home|lose our home|losing our home|no money for food|can't feed|cannot feed|medical bills|lost everything|hardship|life savings|struggling to pay|struggling financially|can't make ends meet|cannot make ends meet|living paycheck to paycheck|starving|nervous breakdown"},
	{kind: selfHarm, terms: "不想活|活不下去|没法活|想死|自杀|跳楼|轻生|了结自己|结束生命|寻死|割腕|死给你们看|一死了之|活着没意思|活著没意思|喝农药"},
	{kind: selfHarm, terms: "suicid*|kill myself|killing myself|end my life|ending my life|take my own life|want to die|wanna die|don't want to live|do not want to live|no reason to live|self-harm|self harm|hurt myself|better off dead|end it all"},

	{kind: escalation, target: Regulator, terms: "12315|12378|12363|12358|消协|消费者协会|消保委|银保监|银保监会|银监会|保监会|金融监管|金融监督管理|国家金融监督管理总局|人民银行|人行|央行|市场监管|市场监督管理|工商局|工商部门|证监会|网信办|监管部门|监管机构|信访|市长热线|12345|315"},
	{kind: escalation, target: Regulator, terms: "cfpb|consumer financial protection bureau|ftc|federal trade commission|attorney general|bbb|better business bureau|occ|fdic|federal reserve|fca|financial ombudsman|ombudsman|regulator*|state regulator*|banking regulator*|department of financial|consumer protection agency|file a complaint with|report you to|reporting you to"},
	{kind: escalation, target: Media, terms: "黑猫投诉|微博|媒体|记者|曝光|电视台|抖音|小红书|上热搜|网上曝光|315晚会|朋友圈曝光|发到网上|舆论"},
	{kind: escalation, target: Media, terms: "media|the press|the news|local news|news station|news channel|reporter*|journalist*|social media|twitter|tweet*|facebook|reddit|tiktok|youtube|go public|going public|post online|posting online|viral"},
	{kind: escalation, target: Police, terms: "报警|报案|警察|公安|派出所|打110|拨打110|110报警|立案|经侦|反诈中心|刑事"},
	{kind: escalation, target: Police, terms: "police|law enforcement|fbi|file a police report|filed a police report|police report|detective"},
	{kind: escalation, target: Court, terms: "起诉|法院|律师|诉讼|仲裁|打官司|法律途径|法律手段|告你们|追究法律责任|法律责任|律师函|上诉"},
	{kind: escalation, target: Court, terms: "lawyer*|attorney|attorneys|lawsuit*|sue|suing|sued|court|legal action|small claims|class action|litigation|arbitration|legal counsel|take legal|my legal rights"},
}
