package demo

// categoryTexts are the lines of a case's history that depend on what the
// complaint is about. Internal notes are written by staff, who work in
// simplified Chinese or English, so their traditional-Chinese slot is empty
// and notes on traditional-Chinese cases are in simplified Chinese.
type categoryTexts struct {
	demands     texts // what the customer asks for, after the story
	requests    texts // what the agent asks the customer to send
	findings    texts // internal note: what the investigation found
	resolutions texts // public answer that resolves the case
	dept        [nScripts]string
}

var categoryPhrases = map[string]categoryTexts{
	CategoryTransactionFailure: {
		demands: texts{
			hans:  {"请尽快核实并退回扣款。", "希望三个工作日内给我答复。", "如果再不处理我就向监管部门投诉。"},
			hant:  {"請盡快核實並退回款項。", "希望三個工作天內回覆。"},
			latin: {"Please check and return the money as soon as possible.", "I expect an answer within three working days."},
		},
		requests: texts{
			hans:  {"为便于核查，请提供付款成功页面截图和银行扣款短信截图。", "请提供商家订单详情页截图，我们需要核对订单号。"},
			hant:  {"為方便核實，請提供付款成功畫面及銀行扣款短訊截圖。"},
			latin: {"To help us check, please send a screenshot of the payment confirmation and your bank's debit notice.", "Please send a screenshot of the merchant's order page so we can match the order number."},
		},
		findings: texts{
			hans:  {"已核实交易{txid}：支付侧扣款成功，商户侧订单因回调超时未更新。已提交清算组处理。", "查询到该笔交易状态为“支付成功-商户未确认”，需商户核实订单。", "银行侧已出款，收款行退票，资金在途，预计T+1退回。"},
			latin: {"Checked {txid}: the charge succeeded on our side; the merchant's order was not updated because of a callback timeout. Raised with settlement.", "Transaction shows success but unconfirmed by the merchant; the merchant needs to check the order.", "Funds left our side; the receiving bank bounced them. Expected back T+1."},
		},
		resolutions: texts{
			hans:  {"您好，经核实，该笔{amount}扣款因商户订单回调异常未能完成下单，款项已于今日原路退回，预计1-3个工作日到账，请留意。给您带来不便，深表歉意。", "您好，经与收款银行核实，您的{amount}已退回到您的余额，请查收。"},
			hant:  {"您好，經核實，該筆{amount}款項因商戶訂單異常未能完成，已於今日原路退回，預計1至3個工作天到帳。不便之處，敬請見諒。"},
			latin: {"Hello, we confirmed the {amount} charge did not complete your order because of an error on the merchant's side. It was refunded to your original payment method today and should arrive within 1–3 business days. We apologise for the trouble.", "Hello, the receiving bank has returned your {amount} and it is back in your balance."},
		},
		dept: [nScripts]string{hans: "清算部", hant: "清算部", latin: "Settlement"},
	},
	CategoryRefund: {
		demands: texts{
			hans:  {"请平台督促商家尽快退款。", "要求全额退款。", "希望平台给个准确的到账时间。"},
			hant:  {"請平台督促商戶盡快退款。", "要求全數退款。"},
			latin: {"Please get the merchant to refund me.", "I want a full refund.", "Please tell me exactly when the money will arrive."},
		},
		requests: texts{
			hans:  {"请补充与商家的沟通记录截图和退货物流单号。", "请提供银行卡近一个月的流水截图，以便向银行查询退款。"},
			hant:  {"請補充與商戶的對話紀錄截圖及退貨物流單號。"},
			latin: {"Please send your chat history with the merchant and the return tracking number.", "Please send your bank statement for the last month so we can trace the refund with the bank."},
		},
		findings: texts{
			hans:  {"退款单已由商户发起，卡在银行退款环节，已请清算组向银行查询。", "商户在退款申请上标注“商品已拆封”，需要核对商品页面的退货规则。", "退款金额被商户扣除了手续费，但订单页未披露。"},
			latin: {"Refund initiated by the merchant and stuck at the bank leg; settlement asked to trace it.", "Merchant rejected the refund as an opened item; need to check the listing's return policy.", "Merchant deducted a fee from the refund that the order page never disclosed."},
		},
		resolutions: texts{
			hans:  {"您好，经与商户及银行核实，{amount}退款已重新发起并成功，预计1-3个工作日到账。如届时仍未收到，请回复本工单。", "您好，平台已介入，商户同意全额退款{amount}，款项已退回您的余额，请查收。"},
			hant:  {"您好，經與商戶及銀行核實，{amount}退款已重新處理，預計1至3個工作天到帳。"},
			latin: {"Hello, after checking with the merchant and the bank, your refund of {amount} has been re-issued and should arrive within 1–3 business days. Reply here if it has not arrived by then.", "Hello, we stepped in and the merchant agreed to a full refund of {amount}. It is back in your balance."},
		},
		dept: [nScripts]string{hans: "清算部", hant: "清算部", latin: "Settlement"},
	},
	CategoryFraud: {
		demands: texts{
			hans:  {"请立即冻结对方账户！", "请帮我追回损失。", "已经报警，报警回执可以提供。"},
			hant:  {"請立即凍結對方帳戶！", "請協助追回損失。"},
			latin: {"Please freeze their account immediately!", "Please help me get my money back.", "I have a police report I can send."},
		},
		requests: texts{
			hans:  {"请上传报警回执，以便我们配合警方处理。", "请提供与对方的聊天记录截图和对方的联系方式。"},
			hant:  {"請上載報案紀錄，方便我們配合警方處理。"},
			latin: {"Please upload the police report so we can work with the police.", "Please send screenshots of your conversation with them and any contact details you have."},
		},
		findings: texts{
			hans:  {"已对收款账户{counterparty}启动紧急止付，并提交风控组核查资金流向。客户已报警。", "收款账户近24小时有多笔来自不同用户的大额入账，疑似诈骗团伙账户，已冻结。"},
			latin: {"Emergency hold placed on recipient {counterparty}; risk team tracing the funds. Customer has reported it to the police.", "Recipient received many large transfers from unrelated users in 24h — likely a mule account. Frozen."},
		},
		resolutions: texts{
			hans:  {"您好，收款账户已被冻结，平台已配合警方调取交易记录。根据核查结果，已追回并退还您{amount}。请务必提高警惕，平台客服不会要求您转账或提供验证码。", "您好，对方账户已冻结，相关资金已移交警方处理，后续退赃请以警方通知为准。平台客服不会要求您转账。"},
			hant:  {"您好，收款帳戶已被凍結，平台已配合警方調查。經核查已追回並退還{amount}。提提您，平台客服不會要求您轉帳或提供驗證碼。"},
			latin: {"Hello, the receiving account has been frozen and we are working with the police. We recovered and returned {amount} to you. Remember: our staff will never ask you to transfer money or share a verification code.", "Hello, the recipient's account is frozen and the funds have been handed to the police; they will contact you about returning them. Our staff will never ask you to transfer money."},
		},
		dept: [nScripts]string{hans: "风控部", hant: "風控部", latin: "Risk"},
	},
	CategoryAccountSecurity: {
		demands: texts{
			hans:  {"请立即冻结账户并追回资金。", "要求平台全额赔付。"},
			hant:  {"請立即凍結帳戶並追回款項。"},
			latin: {"Please lock my account and recover the money.", "I expect to be reimbursed in full."},
		},
		requests: texts{
			hans:  {"请确认这几笔交易均非本人操作，并告知您平时使用的手机型号。", "请上传身份证正反面照片完成身份核验。"},
			hant:  {"請確認這幾筆交易均非本人操作，並提供平時使用的手機型號。"},
			latin: {"Please confirm none of these payments were made by you, and tell us which phone you normally use.", "Please upload photos of your ID so we can verify it is you."},
		},
		findings: texts{
			hans:  {"登录日志显示{date}有异地新设备登录并修改密码，疑似撞库。已冻结账户并重置登录凭证。", "盗刷交易均在同一陌生设备上完成，商户侧订单为虚拟商品，已申请拦截。"},
			latin: {"Login log shows a new device in another city on {date} changing the password — likely credential stuffing. Account frozen, credentials reset.", "All unauthorised payments came from one unknown device buying digital goods; asked the merchant to block delivery."},
		},
		resolutions: texts{
			hans:  {"您好，您的账户已完成安全加固，未授权交易共{total}已由平台先行赔付到您的余额。请修改登录密码并开启设备锁。"},
			hant:  {"您好，您的帳戶已完成安全加固，未經授權的交易共{total}已由平台先行賠付至您的餘額。請更改密碼並開啟裝置鎖。"},
			latin: {"Hello, your account is secure again and the unauthorised payments totalling {total} have been reimbursed to your balance. Please change your password and turn on device protection."},
		},
		dept: [nScripts]string{hans: "风控部", hant: "風控部", latin: "Risk"},
	},
	CategoryPrivacy: {
		demands: texts{
			hans:  {"要求平台说明信息泄露原因并给出处理结果。", "请立即停止向我发送营销信息。"},
			hant:  {"要求平台交代資料外洩原因。"},
			latin: {"I want to know how my data leaked and what you are doing about it.", "Stop sending me marketing immediately."},
		},
		requests: texts{
			hans:  {"请提供来电号码和通话时间，以便我们排查信息来源。"},
			hant:  {"請提供來電號碼及通話時間，方便我們追查資料來源。"},
			latin: {"Please send us the caller's number and the time of the call so we can trace the source."},
		},
		findings: texts{
			hans:  {"已向数据保护官报备。正在调取该用户信息的访问日志，并联系商户{merchant}核查其订单数据的外发情况。", "营销名单来源为合作方，客户未勾选授权，需要从名单中删除并核查合作方。"},
			latin: {"Reported to the DPO. Pulling access logs for this customer's record and asking {merchant} about outbound order data.", "Marketing list came from a partner and the customer never consented. Remove them and review the partner."},
		},
		resolutions: texts{
			hans:  {"您好，经调查，您的信息系合作商户的外包客服违规导出，平台已终止该商户的数据接口并报告监管部门。您的号码已从所有营销名单中移除。", "您好，已为您关闭全部营销通知，并将您的号码从合作方名单中删除，7天内生效。感谢您的监督。"},
			hant:  {"您好，已為您關閉所有推廣通知，並將您的電話從合作方名單中刪除。感謝您的指正。"},
			latin: {"Hello, we found that your details were exported by an outsourced support team of a partner merchant. We have cut off that merchant's data access and reported the incident. Your number has been removed from all marketing lists.", "Hello, we have switched off all marketing for you and removed your number from partner lists; this takes effect within 7 days. Thank you for telling us."},
		},
		dept: [nScripts]string{hans: "数据安全组", hant: "數據安全組", latin: "Data Protection"},
	},
	CategoryService: {
		demands: texts{
			hans:  {"希望给个明确的处理时限。", "要求向我道歉。", "希望你们重视客服质量。"},
			hant:  {"希望給一個明確的處理時間。"},
			latin: {"I want a clear timeline.", "I expect an apology."},
		},
		requests: texts{
			hans:  {"请提供您来电的大致时间和来电号码，便于调取录音。"},
			hant:  {"請提供來電的大約時間及號碼，方便我們翻查錄音。"},
			latin: {"Please tell us roughly when you called and from which number, so we can find the recording."},
		},
		findings: texts{
			hans:  {"调取了通话录音，客服确有不当用语，已转客服质检组处理。", "工单在转派过程中遗漏，超时未处理，属实。"},
			latin: {"Listened to the call recording; the agent's language was inappropriate. Passed to QA.", "Ticket was lost in a transfer and breached its SLA; the complaint is justified."},
		},
		resolutions: texts{
			hans:  {"您好，非常抱歉给您带来不好的体验。经核实，该客服的处理方式确有不当，已进行内部处理和培训。您反映的问题已由专人跟进完毕。"},
			hant:  {"您好，非常抱歉為您帶來不好的體驗，相關同事已接受內部處理及培訓。"},
			latin: {"Hello, we are sorry for the poor experience. We reviewed the interaction; the handling was not acceptable and has been addressed internally. Your original issue has now been resolved by a dedicated agent."},
		},
		dept: [nScripts]string{hans: "客服质检组", hant: "客服質檢組", latin: "Quality Assurance"},
	},
	CategoryMerchantDispute: {
		demands: texts{
			hans:  {"请平台介入，帮我退款。", "商家不处理的话请平台先行赔付。"},
			hant:  {"請平台介入協助退款。"},
			latin: {"Please step in and get me a refund.", "If the merchant will not act, I expect the platform to cover it."},
		},
		requests: texts{
			hans:  {"请上传收到商品的照片以及与商家的沟通记录。", "请提供会员卡或购卡合同的照片。"},
			hant:  {"請上載收到貨品的相片及與商戶的對話紀錄。"},
			latin: {"Please upload photos of what you received and your messages with the merchant.", "Please send a photo of the membership card or contract."},
		},
		findings: texts{
			hans:  {"商户{merchant}近30天有多起同类投诉，已标记风险并暂停其结算。", "客户提供的照片显示商品与页面描述明显不符。"},
			latin: {"{merchant} has several similar complaints in the last 30 days; flagged and settlement paused.", "Customer's photos clearly show the item does not match the listing."},
		},
		resolutions: texts{
			hans:  {"您好，商户未能在规定时间内履约，平台已根据交易保障规则判定退款，{amount}已原路退回。", "您好，该商户已停止经营，平台已启动预付资金保障，先行赔付您{amount}。"},
			hant:  {"您好，商戶未能按時履約，平台已按交易保障規則判定退款，{amount}已原路退回。"},
			latin: {"Hello, the merchant did not keep its side of the deal, so under our purchase protection rules we have refunded {amount} to your original payment method."},
		},
		dept: [nScripts]string{hans: "商户风险组", hant: "商戶風險組", latin: "Merchant Risk"},
	},
	CategoryFees: {
		demands: texts{
			hans:  {"要求退回这笔费用。", "请说明收费依据。"},
			hant:  {"要求退回這筆費用。"},
			latin: {"Please refund the fee.", "Please explain what it is for."},
		},
		requests: texts{
			hans:  {"请确认扣费日期和金额，我们核对一下签约记录。"},
			hant:  {"請確認扣費日期及金額，我們會核對簽約紀錄。"},
			latin: {"Please confirm the date and amount of the charge so we can check the agreement on file."},
		},
		findings: texts{
			hans:  {"该费用为提现超出免费额度部分的0.1%手续费，页面有提示但不醒目。", "自动续费协议签约记录存在，但扣款前未发送提醒短信。"},
			latin: {"Fee is the 0.1% charge above the free withdrawal allowance; it is disclosed but easy to miss.", "Auto-renewal agreement exists, but no reminder was sent before the charge."},
		},
		resolutions: texts{
			hans:  {"您好，经核实，该笔费用的提示不够明显，平台已为您退回{amount}，并关闭了自动续费。", "您好，该费用为提现手续费，收费标准见“费率说明”。考虑到提示不够醒目，本次为您退回{amount}。"},
			hant:  {"您好，經核實相關收費提示不夠清晰，平台已為您退回{amount}。"},
			latin: {"Hello, we agree the fee was not clearly shown. We have refunded {amount} and switched off the auto-renewal."},
		},
		dept: [nScripts]string{hans: "支付产品部", hant: "支付產品部", latin: "Payments Product"},
	},
	CategoryAccountFrozen: {
		demands: texts{
			hans:  {"请尽快解冻账户。", "请告诉我冻结的原因。"},
			hant:  {"請盡快解凍帳戶。"},
			latin: {"Please unfreeze my account as soon as possible.", "Tell me why it was frozen."},
		},
		requests: texts{
			hans:  {"请上传身份证照片和近期经营流水说明，以便风控复审。"},
			hant:  {"請上載身份證相片及近期營業紀錄，方便風控覆審。"},
			latin: {"Please upload your ID and a short explanation of your recent business income so risk can review."},
		},
		findings: texts{
			hans:  {"账户因短期内大量异常收款触发风控规则被冻结，客户已补充经营材料。", "冻结系关联账户涉案，需等待协查结论。"},
			latin: {"Frozen by a risk rule after a burst of unusual incoming payments; customer has provided business documents.", "Frozen because a linked account is under investigation; waiting for the outcome."},
		},
		resolutions: texts{
			hans:  {"您好，您提交的材料已审核通过，账户已解除冻结，余额可正常使用和提现。"},
			hant:  {"您好，您提交的資料已審核通過，帳戶已解除凍結。"},
			latin: {"Hello, your documents have been approved and the account is unfrozen. You can use and withdraw your balance as normal."},
		},
		dept: [nScripts]string{hans: "风控部", hant: "風控部", latin: "Risk"},
	},
	CategoryCredit: {
		demands: texts{
			hans:  {"要求退回多收的费用并更正记录。", "要求撤销不实的逾期记录。"},
			hant:  {"要求退回多收的費用。"},
			latin: {"Refund the extra charges and correct my record.", "Remove the wrong late-payment record."},
		},
		requests: texts{
			hans:  {"请提供还款成功的截图。"},
			hant:  {"請提供還款成功的截圖。"},
			latin: {"Please send a screenshot showing the repayment went through."},
		},
		findings: texts{
			hans:  {"还款记录显示客户已于到期日当天还款，系统因批处理延迟误判逾期。", "分期手续费在签约页有披露，但宣传页“免息”字样易误导。"},
			latin: {"Repayment was made on the due date; a batch delay caused a false overdue flag.", "Instalment fee is disclosed on the agreement page, but the 'interest-free' banner is misleading."},
		},
		resolutions: texts{
			hans:  {"您好，经核实系系统误判，逾期记录已撤销，违约金{amount}已退回。", "您好，我们已退还分期手续费{amount}，并已要求修改宣传页的表述。"},
			hant:  {"您好，經核實為系統誤判，逾期紀錄已撤銷，{amount}費用已退回。"},
			latin: {"Hello, this was a system error: the late-payment record has been removed and the {amount} fee refunded.", "Hello, we have refunded the instalment fees of {amount} and asked for the promotion wording to be corrected."},
		},
		dept: [nScripts]string{hans: "信贷运营部", hant: "信貸營運部", latin: "Credit Operations"},
	},
	CategoryMarketing: {
		demands: texts{
			hans:  {"请补发返现。", "活动规则要写清楚。"},
			hant:  {"請補發回贈。"},
			latin: {"Please credit the cashback.", "Make the rules clear."},
		},
		requests: texts{
			hans:  {"请提供活动页面和付款页面的截图。"},
			hant:  {"請提供活動頁面及付款頁面的截圖。"},
			latin: {"Please send screenshots of the promotion page and the payment page."},
		},
		findings: texts{
			hans:  {"活动规则第5条限制了参与商户，但活动页未展示完整规则。", "红包有效期配置错误，显示7天实际为3天。"},
			latin: {"Rule 5 restricts participating merchants, but the promotion page does not show the full rules.", "Voucher validity misconfigured: shows 7 days, actually 3."},
		},
		resolutions: texts{
			hans:  {"您好，经核实您符合活动条件，返现{amount}已补发到您的余额。"},
			hant:  {"您好，經核實您符合活動資格，回贈已補發至您的餘額。"},
			latin: {"Hello, we confirmed you qualified for the promotion; the cashback has been credited to your balance."},
		},
		dept: [nScripts]string{hans: "市场部", hant: "市場部", latin: "Marketing"},
	},
}

// phrases are the lines of a case's history that any complaint may have.
var phrases = struct {
	extras, acks, sla, replies, chasers, thanks, withdrawMsgs                                  texts
	reopenNoMoney, reopenUnhappy, appealReasons, rejected, rejectedGeneral, afterReopen        texts
	decisions, merchantReplies                                                                 texts
	contactedMerchant, merchantOutcome, internalDone, reassigned, referralNotes, regulatorNote texts
	awaitingCustomer, awaitingMerchant, awaitingInternal, resolvedReason                       texts
	closedAuto, closedConfirmed, withdrawn, appealStage, referralStage, escalated              texts
	regulatorPrefix, associationPrefix, regulatorIntro, associationIntro                       texts
}{
	extras: texts{
		hans:  {"", "", "这已经是我第二次反映这个问题了。", "我已经保存了所有截图。", "客服电话一直打不通。", "麻烦尽快处理，谢谢。"},
		hant:  {"", "", "這已經是我第二次反映這個問題。", "麻煩盡快處理，謝謝。"},
		latin: {"", "", "This is the second time I have raised this.", "I have kept all the screenshots.", "Your hotline never picks up.", "Thanks in advance."},
	},
	acks: texts{
		hans:  {"{name}您好，您的投诉（{ref}）已收到，我是客服专员{agent}，会全程跟进，预计{sla}内给您答复。", "您好，已收到您反映的问题，正在为您核实，请耐心等待。工单号{ref}。", "{name}您好，您的问题我们已受理，{agent}会尽快与您联系。"},
		hant:  {"{name}您好，您的投訴（{ref}）已收到，我是{agent}，會全程跟進，預計{sla}內回覆您。", "您好，已收到您反映的問題，正在為您核實，請耐心等候。個案編號{ref}。"},
		latin: {"Hello {name}, we have received your complaint ({ref}). I'm {agent} and I will be handling it. You can expect an update within {sla}.", "Hi {name}, thanks for getting in touch. We are looking into this now — reference {ref}."},
	},
	sla: texts{
		hans:  {"24小时", "48小时", "2个工作日", "3个工作日"},
		hant:  {"24小時", "2個工作天"},
		latin: {"24 hours", "48 hours", "2 business days"},
	},
	replies: texts{
		hans:  {"截图已经上传了，麻烦尽快处理。", "资料发过去了，请问大概多久有结果？", "已补充，另外我想问一下钱什么时候能到？", "材料已上传，请查收。"},
		hant:  {"截圖已經上傳，麻煩盡快處理。", "資料已補上，請問大概幾時有結果？"},
		latin: {"I've uploaded the screenshots. Please hurry.", "Documents sent. How long will this take?", "Done — is there anything else you need?"},
	},
	chasers: texts{
		hans:  {"已经好几天了，请问处理得怎么样了？", "还没有消息吗？", "请问现在进度如何？"},
		hant:  {"請問處理進度如何？"},
		latin: {"Any update? It has been several days.", "Still waiting to hear back."},
	},
	thanks: texts{
		hans:  {"收到了，谢谢处理。", "钱已经到账，谢谢。", "好的，谢谢{agent}。"},
		hant:  {"收到，謝謝。", "已經到帳，謝謝。"},
		latin: {"Received, thank you.", "The money is back, thanks for your help.", "Thanks {agent}, all sorted."},
	},
	withdrawMsgs: texts{
		hans:  {"商家已经主动退款了，这个投诉可以撤销了，谢谢。", "问题已经自己解决了，撤回投诉。", "算了，钱不多，不想再折腾了。"},
		hant:  {"商戶已經退款，投訴可以撤銷，謝謝。"},
		latin: {"The merchant has refunded me, so I'd like to withdraw this complaint. Thanks.", "I sorted it out myself — please close this."},
	},
	reopenNoMoney: texts{
		hans:  {"说好的1-3个工作日到账，现在还没到，重新打开。", "钱还是没有收到，请再查一下。"},
		hant:  {"說好1至3個工作天到帳，到現在還沒收到。"},
		latin: {"The money still hasn't arrived, so I'm reopening this.", "Still nothing in my account. Please check again."},
	},
	reopenUnhappy: texts{
		hans:  {"对处理结果不满意，问题并没有解决。", "同样的问题又出现了，重新打开。"},
		hant:  {"對處理結果不滿意，問題並沒有解決。"},
		latin: {"This hasn't actually been fixed.", "The same thing happened again, so I'm reopening this."},
	},
	appealReasons: texts{
		hans:  {"我不接受这个处理结果，申请复核。", "平台的结论和事实不符，我要求升级处理。"},
		hant:  {"我不接受這個處理結果，申請覆核。"},
		latin: {"I do not accept this outcome and I am asking for a review.", "Your conclusion is wrong and I want this escalated."},
	},
	rejected: texts{
		hans:  {"您好，经核查，该笔交易为您本人授权完成，商户已按约定提供服务，平台暂无法为您退款。如有异议，可在收到本答复后申请复核。"},
		hant:  {"您好，經核查，該筆交易由您本人授權完成，平台暫時無法為您退款。如有異議，可申請覆核。"},
		latin: {"Hello, our investigation found that the payment was authorised by you and the merchant provided the service, so we cannot refund it. If you disagree, you can ask for a review."},
	},
	rejectedGeneral: texts{
		hans:  {"您好，经核查，平台的处理符合相关规则和服务协议，暂无法支持您的诉求。如有异议，可在收到本答复后申请复核。"},
		hant:  {"您好，經核查，平台的處理符合相關規則及服務協議，暫時無法支持您的要求。如有異議，可申請覆核。"},
		latin: {"Hello, we reviewed your case and found that it was handled in line with our rules and terms of service, so we cannot do what you ask. If you disagree, you can ask for a review."},
	},
	afterReopen: texts{
		hans:  {"您好，已收到您的反馈，我们马上重新核查。", "抱歉让您久等，已重新为您跟进。"},
		hant:  {"您好，已收到您的回覆，我們會重新跟進。"},
		latin: {"Hello, sorry to hear that — we're looking into it again now."},
	},
	decisions: texts{
		hans:  {"您好，我是客诉主管{agent}，已复核您的案件。复核结论：原结论有误，平台已为您全额退款{amount}。", "您好，我是客诉主管{agent}，已复核您的案件。复核结论：维持原处理结果，详细理由已发送至您的邮箱。"},
		hant:  {"您好，我是主管{agent}，已覆核您的個案。覆核結論：原結論有誤，平台已為您全數退款{amount}。"},
		latin: {"Hello, I'm {agent}, complaints supervisor. I have reviewed your case: the original decision was wrong and we have refunded {amount} in full.", "Hello, I'm {agent}, complaints supervisor. I have reviewed your case and the original decision stands; the detailed reasons have been emailed to you."},
	},
	merchantReplies: texts{
		hans:  {"您好，我们是{merchant}客服，已核实您的订单，同意全额退款，会在24小时内处理，给您添麻烦了。", "您好，订单因仓库缺货未能按时发货，我们已为您安排退款，非常抱歉。"},
		hant:  {"您好，我們是{merchant}客服，已核實您的訂單，同意全數退款，會在24小時內處理。"},
		latin: {"Hello, this is {merchant} customer care. We have checked your order and agree to a full refund within 24 hours. Sorry for the trouble."},
	},
	contactedMerchant: texts{
		hans:  {"已通过商户工作台通知{merchant}，要求48小时内反馈。"},
		latin: {"Notified {merchant} through the merchant portal; 48 hours to respond."},
	},
	merchantOutcome: texts{
		hans:  {"商户回复：同意退款，已在商户后台发起。", "商户回复：订单已发货，提供了物流单号，但物流信息显示未揽收。", "商户超时未回复，按规则由平台判定。"},
		latin: {"Merchant replied: agrees to refund, initiated in their portal.", "Merchant claims it shipped, but tracking shows no pickup.", "Merchant did not respond in time; the platform decides under the rules."},
	},
	internalDone: texts{
		hans:  {"{dept}已回复，核查结论已附在工单中，可以按结论答复客户。"},
		latin: {"{dept} replied; findings attached to the ticket, OK to answer the customer."},
	},
	reassigned: texts{
		hans:  {"系统分派有误，转{team}处理。"},
		latin: {"Misrouted by auto-dispatch; moving to {team}."},
	},
	referralNotes: texts{
		hans:  {"监管转办件，需在10个工作日内书面回复处理结果，请优先处理。"},
		latin: {"Referred by an external body: written answer due within 10 working days. Prioritise."},
	},
	regulatorNote: texts{
		hans:  {"客户表示已向监管部门投诉，已收到转办单。"},
		latin: {"Customer says they have complained to the regulator; referral received."},
	},
	awaitingCustomer:  texts{hans: {"等待客户补充材料"}, hant: {"等待客戶補充資料"}, latin: {"Waiting for documents from the customer"}},
	awaitingMerchant:  texts{hans: {"已转商户核实，等待商户回复"}, hant: {"已轉交商戶核實，等待商戶回覆"}, latin: {"Waiting for the merchant to respond"}},
	awaitingInternal:  texts{hans: {"已提交{dept}核查"}, hant: {"已提交{dept}核查"}, latin: {"Escalated to {dept} for investigation"}},
	resolvedReason:    texts{hans: {"已处理完毕", "已按核查结论答复客户"}, hant: {"已處理完畢"}, latin: {"Resolved", "Answered the customer with the findings"}},
	closedAuto:        texts{hans: {"处理结果公示7天无异议，系统自动结案。"}, hant: {"處理結果通知後7天內無異議，系統自動結案。"}, latin: {"Closed automatically: no objection within 7 days of the resolution."}},
	closedConfirmed:   texts{hans: {"客户确认已解决，结案。"}, hant: {"客戶確認已解決，結案。"}, latin: {"Customer confirmed; closing."}},
	withdrawn:         texts{hans: {"客户主动撤诉"}, hant: {"客戶主動撤回"}, latin: {"Withdrawn by the customer"}},
	appealStage:       texts{hans: {"客户申请复核，转主管复核"}, hant: {"客戶申請覆核"}, latin: {"Customer asked for a review; escalated to a supervisor"}},
	referralStage:     texts{hans: {"客户已向中国人民银行投诉，收到监管转办单", "客户已向12315平台投诉，收到转办单"}, hant: {"客戶已向監管機構投訴"}, latin: {"Customer has escalated to the financial ombudsman"}},
	escalated:         texts{hans: {"客户对解释不满意，转为正式投诉"}, hant: {"客戶不接受解釋，轉為正式投訴"}, latin: {"Customer not satisfied with the explanation; now a formal complaint"}},
	regulatorPrefix:   texts{hans: {"【监管转办】"}, hant: {"【監管機構轉介】"}, latin: {"[Regulator referral] "}},
	associationPrefix: texts{hans: {"【消协转办】"}, hant: {"【消費者委員會轉介】"}, latin: {"[Consumer association referral] "}},
	regulatorIntro: texts{
		hans:  {"中国人民银行金融消费权益保护部门转来客户投诉，原文如下：", "金融监管部门转办投诉，客户反映："},
		hant:  {"監管機構轉介客戶投訴，內容如下："},
		latin: {"Referred by the financial regulator. The customer writes:"},
	},
	associationIntro: texts{
		hans:  {"市消费者协会转来投诉，消费者反映：", "12315平台转办，消费者诉称："},
		hant:  {"消費者委員會轉介投訴，內容如下："},
		latin: {"Referred by the consumer association. The consumer writes:"},
	},
}

// scenarioTexts override a category's findings and resolutions where the
// category covers different stories.
type scenarioTexts struct {
	findings, resolutions texts
}

var scenarioPhrases = map[string]scenarioTexts{
	"duplicate_charge": {
		findings: texts{
			hans:  {"两笔扣款间隔不到一分钟，第二笔为客户端重复提交，商户只确认了一笔。已发起重复扣款退款。"},
			latin: {"Two charges less than a minute apart; the second was a duplicate submission and the merchant confirmed only one. Refund of the duplicate raised."},
		},
		resolutions: texts{
			hans:  {"您好，经核实，第二笔{amount}为重复扣款，已原路退回，预计1-3个工作日到账。"},
			hant:  {"您好，經核實，第二筆{amount}為重複扣款，已原路退回，預計1至3個工作天到帳。"},
			latin: {"Hello, we confirmed the second charge of {amount} was a duplicate. It has been refunded to your original payment method and should arrive within 1–3 business days."},
		},
	},
	"transfer_stuck": {
		findings: texts{
			hans:  {"银行侧已出款，收款行以“户名不符”退票，资金在途，预计T+1退回。"},
			latin: {"Funds left our side; the receiving bank bounced them (name mismatch). Expected back T+1."},
		},
		resolutions: texts{
			hans:  {"您好，收款银行因户名不符退回了这笔转账，{amount}已退回您的余额，请核对收款人信息后重新转账。"},
			hant:  {"您好，收款銀行因戶名不符退回了這筆轉帳，{amount}已退回您的餘額，請核對收款人資料後再轉帳。"},
			latin: {"Hello, the receiving bank returned the transfer because the account name did not match. {amount} is back in your balance; please check the recipient's details and send it again."},
		},
	},
	"topup_failed": {
		findings: texts{
			hans:  {"运营商充值接口超时，订单未成功，自动退款未触发，已人工发起退款。"},
			latin: {"Carrier top-up API timed out; the order failed and the automatic refund did not fire. Refund raised manually."},
		},
		resolutions: texts{
			hans:  {"您好，该笔充值未成功，{amount}已原路退回，请留意。"},
			hant:  {"您好，該筆增值未成功，{amount}已原路退回。"},
			latin: {"Hello, the top-up did not go through and {amount} has been refunded to you."},
		},
	},
	"refund_delayed": {
		findings: texts{
			hans:  {"退款单已由商户发起，卡在银行退款环节，已请清算组向银行查询。"},
			latin: {"Refund initiated by the merchant and stuck at the bank leg; settlement asked to trace it."},
		},
	},
	"refund_refused": {
		findings: texts{
			hans:  {"商户在退款申请上标注“商品已拆封”，但商品页面承诺七天无理由退货，商户拒绝不成立。"},
			latin: {"Merchant rejected the refund as an opened item, but the listing promises 7-day returns; the refusal does not stand."},
		},
		resolutions: texts{
			hans:  {"您好，平台已介入，商户同意全额退款{amount}，款项已退回您的余额，请查收。"},
			hant:  {"您好，平台已介入，商戶同意全數退款{amount}，款項已退回您的餘額。"},
			latin: {"Hello, we stepped in and the merchant agreed to a full refund of {amount}. It is back in your balance."},
		},
	},
	"refund_partial": {
		findings: texts{
			hans:  {"商户从退款中扣除了手续费，但订单页未披露该规则。"},
			latin: {"Merchant deducted a fee from the refund that the order page never disclosed."},
		},
		resolutions: texts{
			hans:  {"您好，经核实，商户扣费未事先告知，已要求商户补退差额，款项已退回您的余额。"},
			hant:  {"您好，經核實，商戶扣費未有事先告知，已要求商戶補退差額。"},
			latin: {"Hello, the merchant's deduction was never disclosed, so we had them refund the difference. It is back in your balance."},
		},
	},
	"data_leak": {
		findings: texts{
			hans:  {"已向数据保护官报备。正在调取该用户信息的访问日志，并联系商户{merchant}核查其订单数据的外发情况。"},
			latin: {"Reported to the DPO. Pulling access logs for this customer's record and asking {merchant} about outbound order data."},
		},
		resolutions: texts{
			hans:  {"您好，经调查，您的信息系合作商户的外包客服违规导出，平台已终止该商户的数据接口并报告监管部门。"},
			hant:  {"您好，經調查，您的資料由合作商戶的外判客服違規匯出，平台已終止該商戶的數據接口並向監管機構報告。"},
			latin: {"Hello, we found that your details were exported by an outsourced support team of a partner merchant. We have cut off that merchant's data access and reported the incident."},
		},
	},
	"harassment_calls": {
		findings: texts{
			hans:  {"营销名单来源为合作方，客户未勾选授权，需要从名单中删除并核查合作方。"},
			latin: {"Marketing list came from a partner and the customer never consented. Remove them and review the partner."},
		},
		resolutions: texts{
			hans:  {"您好，已为您关闭全部营销通知，并将您的号码从合作方名单中删除，7天内生效。感谢您的监督。"},
			hant:  {"您好，已為您關閉所有推廣通知，並將您的電話從合作方名單中刪除。感謝您的指正。"},
			latin: {"Hello, we have switched off all marketing for you and removed your number from partner lists; this takes effect within 7 days. Thank you for telling us."},
		},
	},
	"rude_agent": {
		findings: texts{
			hans:  {"调取了通话录音，客服确有不当用语，已转客服质检组处理。"},
			latin: {"Listened to the call recording; the agent's language was inappropriate. Passed to QA."},
		},
	},
	"no_response": {
		findings: texts{
			hans:  {"工单在转派过程中遗漏，超时未处理，属实。"},
			latin: {"Ticket was lost in a transfer and breached its SLA; the complaint is justified."},
		},
	},
	"non_delivery": {
		findings: texts{
			hans:  {"商户{merchant}近30天有多起同类未发货投诉，已标记风险并暂停其结算。"},
			latin: {"{merchant} has several similar non-delivery complaints in the last 30 days; flagged and settlement paused."},
		},
	},
	"not_as_described": {
		findings: texts{
			hans:  {"客户提供的照片显示商品与页面描述明显不符。"},
			latin: {"Customer's photos clearly show the item does not match the listing."},
		},
		resolutions: texts{
			hans:  {"您好，经核实商品与描述不符，商户已同意退货退款，{amount}已原路退回，退货运费由商户承担。"},
			hant:  {"您好，經核實貨品與描述不符，商戶已同意退貨退款，{amount}已原路退回。"},
			latin: {"Hello, we confirmed the item does not match its description. The merchant has accepted the return and {amount} has been refunded; the merchant pays the return postage."},
		},
	},
	"prepaid_runaway": {
		findings: texts{
			hans:  {"{merchant}门店已关闭，法人失联，近一周收到多名会员投诉。已冻结商户待结算资金。"},
			latin: {"{merchant} has closed its doors and the owner cannot be reached; many members complained this week. Pending settlement frozen."},
		},
		resolutions: texts{
			hans:  {"您好，该商户已停止经营，平台已启动预付资金保障，先行赔付您{amount}。"},
			hant:  {"您好，該商戶已停止營業，平台已啟動預付資金保障，先行賠付您{amount}。"},
			latin: {"Hello, the merchant has stopped trading. Our prepaid protection scheme has reimbursed you {amount}."},
		},
	},
	"unexpected_fee": {
		findings: texts{
			hans:  {"该费用为提现超出免费额度部分的0.1%手续费，页面有提示但不醒目。"},
			latin: {"Fee is the 0.1% charge above the free withdrawal allowance; it is disclosed but easy to miss."},
		},
		resolutions: texts{
			hans:  {"您好，该费用为提现超出免费额度的手续费，收费标准见“费率说明”。考虑到提示不够醒目，本次为您退回{amount}。"},
			hant:  {"您好，該費用為超出免費額度的提款手續費。考慮到提示不夠清晰，今次為您退回{amount}。"},
			latin: {"Hello, this is the fee for withdrawals above the free allowance, as listed in our fee schedule. As the notice was easy to miss, we have refunded {amount} this time."},
		},
	},
	"auto_renewal": {
		findings: texts{
			hans:  {"自动续费协议签约记录存在，但扣款前未发送提醒短信。"},
			latin: {"Auto-renewal agreement exists, but no reminder was sent before the charge."},
		},
		resolutions: texts{
			hans:  {"您好，经核实，扣费前未按规定提醒您，平台已为您退回最近一期的{amount}，并关闭了自动续费。"},
			hant:  {"您好，經核實，扣款前未有按規定提醒您，平台已退回最近一期的{amount}，並關閉自動續費。"},
			latin: {"Hello, you were not reminded before the renewal as you should have been. We have refunded the latest charge of {amount} and switched off auto-renewal."},
		},
	},
	"credit_instalment_fee": {
		findings: texts{
			hans:  {"分期手续费在签约页有披露，但宣传页“免息”字样易误导。"},
			latin: {"Instalment fee is disclosed on the agreement page, but the 'interest-free' banner is misleading."},
		},
		resolutions: texts{
			hans:  {"您好，我们已退还分期手续费{amount}，并已要求修改宣传页的表述。"},
			hant:  {"您好，我們已退還分期手續費{amount}，並已要求修改宣傳字眼。"},
			latin: {"Hello, we have refunded the instalment fees of {amount} and asked for the promotion wording to be corrected."},
		},
	},
	"credit_false_overdue": {
		findings: texts{
			hans:  {"还款记录显示客户已于到期日当天还款，系统因批处理延迟误判逾期。"},
			latin: {"Repayment was made on the due date; a batch delay caused a false overdue flag."},
		},
		resolutions: texts{
			hans:  {"您好，经核实系系统误判，逾期记录已撤销，违约金{amount}已退回。"},
			hant:  {"您好，經核實為系統誤判，逾期紀錄已撤銷，{amount}費用已退回。"},
			latin: {"Hello, this was a system error: the late-payment record has been removed and the {amount} fee refunded."},
		},
	},
	"promo_not_credited": {
		findings: texts{
			hans:  {"活动规则第5条限制了参与商户，但活动页未展示完整规则。", "红包有效期配置错误，显示7天实际为3天。"},
			latin: {"Rule 5 restricts participating merchants, but the promotion page does not show the full rules.", "Voucher validity misconfigured: shows 7 days, actually 3."},
		},
	},
}

// findings returns the internal-note lines for a scenario.
func findingsFor(sc *scenario) texts {
	if t, ok := scenarioPhrases[sc.name]; ok && len(t.findings[hans]) > 0 {
		return t.findings
	}
	return categoryPhrases[sc.category].findings
}

// resolutionFor returns the resolving answers for a scenario in script s.
func resolutionsFor(sc *scenario, s script) []string {
	if t, ok := scenarioPhrases[sc.name]; ok && len(t.resolutions[s]) > 0 {
		return t.resolutions[s]
	}
	return categoryPhrases[sc.category].resolutions[s]
}
