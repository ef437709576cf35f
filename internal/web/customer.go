package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
)

// categories are the complaint types a customer chooses from, in the
// order the form shows them: the taxonomy's top-level categories. Staff
// may classify into finer ones.
func (s *server) categories() []string { return s.tax.CustomerChoices() }

// staffCategories are what staff may classify a case as: "not yet
// classified" (the triage queue) and every category of the taxonomy.
func (s *server) staffCategories() []string {
	return append([]string{taxonomy.Uncategorized}, s.tax.IDs()...)
}

// currencies are the currencies the filing form offers; CNY first.
var currencies = []string{"CNY", "HKD", "MOP", "TWD", "USD", "EUR", "GBP", "JPY"}

// partyList is the list page of customers and merchants.
type partyList struct {
	Base  string     // "/my" or "/merchant"
	Cases []queueRow // subjects masked for merchants
	Next  string     // URL of the next page, if any
	First string     // URL of the first page, when not on it
}

func (s *server) myList(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.partyList(w, r, p, "/my", "my")
}

func (s *server) merchantList(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.partyList(w, r, p, "/merchant", "merchant")
}

func (s *server) partyList(w http.ResponseWriter, r *http.Request, p access.Principal, base, section string) {
	cursor := r.URL.Query().Get("cursor")
	page, err := s.desk.List(r.Context(), p, store.CaseFilter{Sort: "-created", Limit: s.pageSize, Cursor: cursor})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := partyList{Base: base}
	m := masker{mask: p.Role != complaint.RoleCustomer}
	for _, c := range page.Cases {
		data.Cases = append(data.Cases, queueRow{Case: c, Subject: m.text(fieldSubject, c.Subject)})
	}
	if page.NextCursor != "" {
		data.Next = base + "?cursor=" + urlQueryEscape(page.NextCursor)
	}
	if cursor != "" {
		data.First = base
	}
	s.render(w, r, http.StatusOK, "party_list", section, data)
}

// ---- filing ----

type filePage struct {
	Form       *form
	Categories []string
	Currencies []string
	Idem       string // idempotency key, so a double submit files once
	MaxTime    string // latest transaction time the picker offers
}

func newIdemKey() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *server) myNewForm(w http.ResponseWriter, r *http.Request, p access.Principal) {
	f := newForm()
	f.Values["txn_currency"] = "CNY"
	if cat := r.URL.Query().Get("category"); slices.Contains(s.categories(), cat) {
		f.Values["category"] = cat
	}
	s.renderFile(w, r, http.StatusOK, f)
}

func (s *server) renderFile(w http.ResponseWriter, r *http.Request, status int, f *form) {
	e := s.envOf(r)
	s.render(w, r, status, "my_new", "my", filePage{
		Form: f, Categories: s.categories(), Currencies: currencies, Idem: newIdemKey(),
		MaxTime: time.Now().In(e.tz).Format("2006-01-02T15:04"),
	})
}

// draftFields maps the domain's field names to the form's.
var draftFields = map[string]string{
	"subject": "subject", "description": "description", "category": "category",
	"customer.phone":                  "phone",
	"transactions[0].id":              "txn_id",
	"transactions[0].time":            "txn_time",
	"transactions[0].amount.minor":    "txn_amount",
	"transactions[0].amount.currency": "txn_currency",
	"transactions[0].counterparty":    "txn_counterparty",
	"transactions[0].merchant_id":     "txn_merchant",
}

var fileFields = []string{"category", "subject", "description", "txn_id", "txn_time", "txn_amount",
	"txn_currency", "txn_counterparty", "txn_merchant", "phone"}

func (s *server) myFile(w http.ResponseWriter, r *http.Request, p access.Principal) {
	e := s.envOf(r)
	lang := e.lang
	f := newForm()
	for _, name := range fileFields {
		f.Values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	f.Values["description"] = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("description"), "\r\n", "\n"))
	draft, ok := readDraft(lang, e.tz, f, s.categories())
	if !ok {
		s.renderFile(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	draft.Language = lang.Code()
	c, _, err := s.desk.File(r.Context(), p, draft, r.PostFormValue("idem"))
	var ve *complaint.ValidationError
	switch {
	case errors.As(err, &ve):
		if field, ok := draftFields[ve.Field]; ok {
			f.Fail(field, errorText(lang, err))
		} else {
			f.Error = errorText(lang, err)
		}
		s.renderFile(w, r, http.StatusUnprocessableEntity, f)
		return
	case errors.Is(err, store.ErrIdempotencyMismatch):
		f.Error = lang.T("error.resubmit")
		s.renderFile(w, r, http.StatusConflict, f)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "filed", "flash.filed", "ref", c.Ref)
	redirect(w, r, "/my/"+c.Ref)
}

// readDraft checks the filing form and turns it into a draft, recording
// every problem it finds in f (not only the first, as the domain does).
func readDraft(lang *i18n.Catalog, tz *time.Location, f *form, categories []string) (complaint.Draft, bool) {
	v := f.Values
	d := complaint.Draft{
		Channel: complaint.ChannelWeb, Subject: v["subject"], Description: v["description"],
		Category: v["category"], Customer: complaint.Customer{Phone: v["phone"]},
	}
	if !slices.Contains(categories, d.Category) {
		f.Fail("category", lang.T("error.category"))
	}
	if d.Subject == "" {
		f.Fail("subject", lang.T("error.subject_required"))
	}
	if d.Description == "" {
		f.Fail("description", lang.T("error.description_required"))
	}
	if v["txn_id"] != "" || v["txn_time"] != "" || v["txn_amount"] != "" || v["txn_counterparty"] != "" || v["txn_merchant"] != "" {
		t := complaint.Transaction{ID: v["txn_id"], Counterparty: v["txn_counterparty"], MerchantID: v["txn_merchant"]}
		if t.ID == "" {
			f.Fail("txn_id", lang.T("error.txn_id_required"))
		}
		if v["txn_time"] == "" {
			f.Fail("txn_time", lang.T("error.txn_time_required"))
		} else if at, ok := parseLocalTime(v["txn_time"], tz); !ok {
			f.Fail("txn_time", lang.T("error.txn_time_format"))
		} else if at.After(time.Now().Add(time.Minute)) {
			f.Fail("txn_time", lang.T("error.txn_time_future"))
		} else {
			t.Time = at
		}
		cur := v["txn_currency"]
		if !slices.Contains(currencies, cur) {
			f.Fail("txn_currency", lang.T("error.choice"))
		} else if v["txn_amount"] == "" {
			f.Fail("txn_amount", lang.T("error.amount_required"))
		} else if minor, err := parseAmount(v["txn_amount"], cur); err != nil {
			var ae *amountError
			errors.As(err, &ae)
			if ae.Key == "error.amount_decimals" {
				f.Fail("txn_amount", lang.T(ae.Key, "digits", ae.Digits, "currency", cur))
			} else {
				f.Fail("txn_amount", lang.T(ae.Key))
			}
		} else {
			t.Amount = complaint.Money{Minor: minor, Currency: cur}
		}
		d.Transactions = []complaint.Transaction{t}
	}
	return d, !f.HasErrors()
}

// parseLocalTime reads a date and time the viewer entered (as a
// datetime-local control sends it, or typed) in their time zone.
func parseLocalTime(s string, tz *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05",
		"2006/01/02 15:04", "2006/1/2 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, tz); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ---- a case, as its customer or a merchant sees it ----

type publicCase struct {
	Base   string // "/my/REF" or "/merchant/REF": where the forms post
	Viewer string // "customer" or "merchant"
	Case   *complaint.Case
	// Subject and Description are as the viewer may see them: in full for
	// the customer, with personal data masked for a merchant.
	Subject, Description shown
	// Deadlines say what the customer is owed and by when.
	Deadlines []string
	Timeline  []entry
	Holder    string
	Explain   string
	CanReply  bool
	// Withdraw and Reopen are offered to the customer when the lifecycle
	// allows them from the current status.
	CanWithdraw, CanReopen bool
	Reply                  *form
	Change                 *form // withdraw/reopen reason and errors
	Error                  string
}

func (s *server) myCase(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.showPublicCase(w, r, p, http.StatusOK, nil)
}

func (s *server) merchantCase(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.showPublicCase(w, r, p, http.StatusOK, nil)
}

// showPublicCase renders the customer's or merchant's page of a case; pc
// carries the forms of a failed post to show again.
func (s *server) showPublicCase(w http.ResponseWriter, r *http.Request, p access.Principal, status int, pc *publicCase) {
	ref := r.PathValue("ref")
	c, events, err := s.desk.View(r.Context(), p, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := s.langOf(r)
	if pc == nil {
		pc = &publicCase{}
	}
	if pc.Reply == nil {
		pc.Reply = newForm()
	}
	if pc.Change == nil {
		pc.Change = newForm()
	}
	pc.Case = c
	kind, section := viewerCustomer, "my"
	pc.Viewer, pc.Base = "customer", "/my/"+c.Ref
	if p.Role == complaint.RoleMerchant {
		kind, section = viewerMerchant, "merchant"
		pc.Viewer, pc.Base = "merchant", "/merchant/"+c.Ref
	}
	say := s.wordsOf(r)
	m := masker{mask: kind == viewerMerchant}
	pc.Subject, pc.Description = m.text(fieldSubject, c.Subject), m.text(fieldDescription, c.Description)
	pc.Timeline = buildTimeline(say, p, kind, events, m)
	if kind == viewerCustomer {
		pc.Deadlines = customerDeadlines(say, c)
	}
	pc.Holder = holderText(lang, c)
	pc.Explain = lang.T("status.explain." + string(c.Status))
	if kind == viewerMerchant {
		// The customer's explanations speak of "your complaint".
		pc.Explain = lang.T("status.explain.merchant_other")
		if c.Status == complaint.StatusAwaitingMerchant {
			pc.Explain = lang.T("status.explain.merchant_awaited")
		}
	}
	open := c.Status != complaint.StatusClosed && c.Status != complaint.StatusWithdrawn
	pc.CanReply = open && access.Authorize(p, access.PostMessage, c) == nil
	if kind == viewerCustomer {
		pc.CanWithdraw = c.Status.CanTransition(complaint.StatusWithdrawn) && access.Authorize(p, access.Withdraw, c) == nil
		pc.CanReopen = c.Status.CanTransition(complaint.StatusReopened) && access.Authorize(p, access.Reopen, c) == nil
	}
	s.render(w, r, status, "public_case", section, pc)
}

// holderText says who is handling the case, in words.
func holderText(c *i18n.Catalog, k *complaint.Case) string {
	team := named(c, "team.", k.Team)
	if k.AssigneeName != "" {
		return c.T("holder.agent", "team", team, "agent", k.AssigneeName)
	}
	return c.T("holder.team", "team", team)
}

func (s *server) myReply(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.publicReply(w, r, p, "/my/")
}

func (s *server) merchantReply(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.publicReply(w, r, p, "/merchant/")
}

func (s *server) publicReply(w http.ResponseWriter, r *http.Request, p access.Principal, base string) {
	ref := r.PathValue("ref")
	body := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"))
	_, _, err := s.desk.Message(r.Context(), p, ref, body)
	if err == nil {
		s.setFlash(w, "ok", "flash.reply_sent")
		redirect(w, r, base+ref+"#timeline")
		return
	}
	if !isDomainError(err) {
		s.fail(w, r, err)
		return
	}
	pc := &publicCase{Reply: newForm()}
	pc.Reply.Values["body"] = body
	s.domainFailure(pc.Reply, "body", &pc.Error, s.langOf(r), err)
	s.showPublicCase(w, r, p, statusOf(err), pc)
}

// myStatus withdraws or reopens the customer's case.
func (s *server) myStatus(w http.ResponseWriter, r *http.Request, p access.Principal) {
	ref := r.PathValue("ref")
	to := complaint.Status(r.PostFormValue("to"))
	reason := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("reason"), "\r\n", "\n"))
	if to != complaint.StatusWithdrawn && to != complaint.StatusReopened {
		s.fail(w, r, errBadRequest)
		return
	}
	_, _, err := s.desk.Transition(r.Context(), p, ref, to, reason)
	if err == nil {
		s.setFlash(w, "ok", "flash.status."+string(to))
		redirect(w, r, "/my/"+ref)
		return
	}
	if !isDomainError(err) {
		s.fail(w, r, err)
		return
	}
	pc := &publicCase{Change: newForm()}
	pc.Change.Values["reason"] = reason
	s.domainFailure(pc.Change, "reason", &pc.Error, s.langOf(r), err)
	s.showPublicCase(w, r, p, statusOf(err), pc)
}

// domainFailure records a domain error: a validation error next to field
// in f, a rule error (such as a move the case no longer allows) in banner.
func (s *server) domainFailure(f *form, field string, banner *string, lang *i18n.Catalog, err error) {
	var ve *complaint.ValidationError
	if errors.As(err, &ve) {
		f.Fail(field, errorText(lang, err))
		return
	}
	*banner = errorText(lang, err)
}

// statusOf is the HTTP status of a page shown again after a domain error:
// 422 for invalid input, 409 for a rule the case's state forbids.
func statusOf(err error) int {
	var ve *complaint.ValidationError
	if errors.As(err, &ve) {
		return http.StatusUnprocessableEntity
	}
	return http.StatusConflict
}
