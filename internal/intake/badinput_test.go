package intake_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/intake/email"
	"github.com/redress-project/redress/internal/intake/records"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/textio"
)

type problem struct {
	line int
	says string
}

func checkProblems(t *testing.T, rep *intake.Report, want []problem) {
	t.Helper()
	if len(rep.Problems) != len(want) {
		t.Fatalf("problems %v, want %v", rep.Problems, want)
	}
	for i, w := range want {
		p := rep.Problems[i]
		if p.Line != w.line || !strings.Contains(p.Err.Error(), w.says) {
			t.Errorf("problem %d: line %d %q, want line %d saying %q", i, p.Line, p.Err, w.line, w.says)
		}
	}
}

func TestMalformedCSVRowsReportedWithLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		csv := "call_id,started_at,caller_phone,customer_name,summary,transaction_ids\n" +
			"HL-1,2026-03-06 14:00:00,13800000001,甲,扣款有误,\n" + // 2: good
			"HL-2,yesterday,13800000002,乙,扣款有误,\n" + // 3: bad time
			"HL-3,2026-03-06 14:00:00,13800000003,丙\n" + // 4: too few fields
			"HL-4,2026-03-06 14:00:00,call me,丁,扣款有误,\n" + // 5: not a phone number
			",2026-03-06 14:00:00,13800000005,戊,扣款有误,\n" + // 6: no call id
			"HL-6,2026-03-06 14:00:00,,,,\n" + // 7: nobody, nothing
			"HL-7,2026-03-06 14:00:00,13800000007,\"庚\",\"多行\n摘要\",\n" + // 8-9: good
			"HL-8,2026-03-06 14:00:00,13800000008,辛,扣款有误,T1;T2\n" // 10: good, transactions unknown
		path := writeTemp(t, "calls.csv", csv)
		rep := h.importFile(intake.KindHotline, path)
		checkProblems(t, rep, []problem{
			{3, `started_at: "yesterday" is not a time`},
			{4, "different number of fields"},
			{5, "caller_phone: may contain only digits"},
			{6, "call_id is required"},
			{7, "caller cannot be identified"},
		})
		if rep.Records != 8 || rep.Created != 3 || rep.Failed != 5 || rep.Stopped {
			t.Errorf("report %+v", rep)
		}
		// Nothing half-written: three cases, three messages.
		if n := len(h.cases()); n != 3 {
			t.Errorf("%d cases", n)
		}
		// A second run reports the same problems and creates nothing.
		again := h.importFile(intake.KindHotline, path)
		if again.Failed != 5 || again.Created != 0 || again.Resumed != 3 {
			t.Errorf("second run %+v", again)
		}
	})
}

func TestMissingColumnsNamed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		rep := h.importFile(intake.KindHotline, writeTemp(t, "calls.csv", "call_id,when,phone\nHL-1,x,y\n"))
		checkProblems(t, rep, []problem{{1, `missing columns "started_at", "caller_phone", one of "summary" or "transcript"; the columns are "call_id", "when", "phone"`}})
		if !rep.Stopped || len(h.cases()) != 0 {
			t.Errorf("report %+v", rep)
		}
		rep = h.importFile(intake.KindLedger, writeTemp(t, "ledger.csv", "txn_id,time\n"))
		checkProblems(t, rep, []problem{{1, `missing columns "currency", one of "amount" or "amount_minor"`}})
	})
}

func TestBadFilesRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		good := "call_id,started_at,caller_phone,summary\nHL-1,2026-03-06 14:00:00,13800000001,扣款有误\n"
		cases := []struct {
			name    string
			content []byte
			says    string
			line    int
		}{
			{"latin1.csv", []byte(good + "HL-2,2026-03-06 14:00:00,13800000002,caf\xe9 \xff\n"), "invalid character encoding", 3},
			{"binary.csv", []byte("call_id\x00,x\n"), "binary", 1},
			{"book.csv", []byte("PK\x03\x04rest of a zip"), "ZIP archive", 0},
			{"empty.csv", nil, "empty", 0},
			{"gbk.json", gbk(t, `[{"call_id":"HL-9","summary":"退款"}]`), "must be UTF-8", 1},
			{"utf16.json", []byte{0xFF, 0xFE, '[', 0}, "UTF-16", 0},
			{"broken.json", []byte("[\n{\"call_id\":\"HL-1\",\"started_at\":\"2026-03-06 14:00:00\",\"caller_phone\":\"1380000000\",\"summary\":\"a\"},\n{\"call_id\": oops}\n]"), "malformed JSON", 3},
		}
		for _, c := range cases {
			path := writeTemp(t, c.name, string(c.content))
			rep := h.importFile(intake.KindHotline, path)
			if len(rep.Problems) == 0 {
				t.Errorf("%s: no problem reported: %+v", c.name, rep)
				continue
			}
			last := rep.Problems[len(rep.Problems)-1]
			if !strings.Contains(last.Err.Error(), c.says) || last.Line != c.line {
				t.Errorf("%s: %v on line %d, want %q on line %d", c.name, last.Err, last.Line, c.says, c.line)
			}
		}
		// The one good record of broken.json went in; no mojibake did.
		for _, c := range h.cases() {
			if strings.ContainsRune(c.Description, '\uFFFD') || strings.Contains(c.Description, "caf") {
				t.Errorf("stored %q", c.Description)
			}
		}
		// A missing file and a directory.
		if rep := h.importFile(intake.KindHotline, filepath.Join(t.TempDir(), "nope.csv")); !errors.Is(rep.Problems[0].Err, os.ErrNotExist) {
			t.Errorf("missing file: %v", rep.Problems)
		}
	})
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOversizedFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		h.im.MaxRecordBytes = 4096
		big := strings.Repeat("长", 2000) // 6000 bytes
		csv := "call_id,started_at,caller_phone,summary\n" +
			"HL-1,2026-03-06 14:00:00,13800000001," + big + "\n" +
			"HL-2,2026-03-06 14:00:00,13800000002,正常\n"
		rep := h.importFile(intake.KindHotline, writeTemp(t, "big.csv", csv))
		checkProblems(t, rep, []problem{{2, "too large"}})
		if rep.Created != 1 {
			t.Errorf("%+v", rep)
		}
		// A long text within the limits is cut to fit the case, never refused;
		// the whole of it stays in the kept original.
		h.im.MaxRecordBytes = 0
		long := strings.Repeat("很长的通话摘要。", 4000) // 32000 characters
		rep = h.importOK(intake.KindHotline, writeTemp(t, "long.csv", "call_id,started_at,caller_phone,subject,summary\nHL-L,2026-03-06 14:00:00,13800000009,"+strings.Repeat("题", 300)+","+long+"\n"))
		c := h.caseOf(complaint.ChannelHotline, "HL-L")
		if n := len([]rune(c.Description)); n > complaint.MaxDescription || !strings.Contains(c.Description, "kept with the original") || len([]rune(c.Subject)) > complaint.MaxSubject {
			t.Errorf("description of %d characters, subject of %d", n, len([]rune(c.Subject)))
		}
		m, _ := st.IntakeMessageBySource(ctx, complaint.ChannelHotline, "HL-L")
		if !strings.Contains(string(m.Payload), long) {
			t.Error("the original lost text")
		}
	})
}

func TestChatCSVGrouping(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		csv := "session_id,at,from,text,customer_id\n" +
			"S1,2026-03-08 09:00:00,customer,第一句,C-1\n" + // 2
			"S1,2026-03-08 09:00:10,agent,回复\n" + // 3: short row, spoils S1
			"S2,2026-03-08 09:01:00,customer,另一个会话,C-2\n" + // 4
			"S3,2026-03-08 09:02:00,agent,只有客服说话,C-3\n" + // 5: no customer words
			"S2,2026-03-08 09:03:00,customer,又回来了,C-2\n" // 6: S2 again, not together
		rep := h.importFile(intake.KindChat, writeTemp(t, "chat.csv", csv))
		checkProblems(t, rep, []problem{
			{3, "different number of fields"},
			{2, "session S1 is not imported: line 3 could not be read"},
			{5, "no message from the customer"},
			{6, "not together: it appeared before on line 4"},
		})
		if rep.Created != 1 || rep.Failed != 3 || rep.Records != 4 {
			t.Errorf("report %+v", rep)
		}
	})
}

func TestBadEmailsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		dir := t.TempDir()
		files := map[string][]byte{
			"nofrom.eml":  []byte("Subject: hi\r\n\r\nbody\r\n"),
			"broken.eml":  []byte("From: a@b.cn\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhello\r\n"),
			"charset.eml": append([]byte("From: a@b.cn\r\nSubject: x\r\n\r\n"), gbk(t, "退款")...),
			"badaddr.eml": []byte("From: \"x\" <not an address>\r\n\r\nbody\r\n"),
		}
		for name, raw := range files {
			os.WriteFile(filepath.Join(dir, name), raw, 0o644)
			rep := h.importFile(intake.KindEmail, filepath.Join(dir, name))
			var e *email.Error
			if rep.Failed != 1 || rep.Created != 0 || !errors.As(rep.Problems[0].Err, &e) {
				t.Errorf("%s: %+v", name, rep)
			}
		}
		if n := len(h.cases()); n != 0 {
			t.Errorf("%d cases from bad emails", n)
		}
		counts, _ := st.CountIntakeMessages(ctx)
		if len(counts) != 0 {
			t.Errorf("bad emails were kept: %v", counts)
		}
	})
}

func TestInvalidMessagesStoreNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		for _, m := range []intake.Message{
			{Channel: "fax", Draft: complaint.Draft{Customer: complaint.Customer{Name: "x"}, Subject: "s", Description: "d"}},
			{Channel: complaint.ChannelEmail, Draft: complaint.Draft{Subject: "s", Description: "d"}}, // no name
			{Channel: complaint.ChannelEmail, SourceID: strings.Repeat("x", 600), Draft: complaint.Draft{Customer: complaint.Customer{Name: "x"}, Subject: "s", Description: "d"}},
			{Channel: complaint.ChannelEmail, Draft: complaint.Draft{Customer: complaint.Customer{Name: "x", Email: "bad"}, Subject: "s", Description: "d"}},
			{Channel: complaint.ChannelEmail, TransactionIDs: []string{strings.Repeat("9", 65)}, Draft: complaint.Draft{Customer: complaint.Customer{Name: "x"}, Subject: "s", Description: "d"}},
			{Channel: complaint.ChannelRegulator, Deadline: &complaint.Deadline{Name: "regulator"}, Draft: complaint.Draft{Customer: complaint.Customer{Name: "x"}, Subject: "s", Description: "d"}},
		} {
			var v *complaint.ValidationError
			if _, err := h.svc.Submit(ctx, m); !errors.As(err, &v) {
				t.Errorf("Submit(%+v) = %v, want a ValidationError", m.Draft, err)
			}
		}
		if counts, _ := st.CountIntakeMessages(ctx); len(counts) != 0 || len(h.cases()) != 0 {
			t.Errorf("stored %v", counts)
		}
	})
}

// fuzzDecode checks the invariant of every decoder of outside input: it
// returns an error, or a message that Prepare accepts.
func fuzzDecode(t *testing.T, m intake.Message, err error) {
	if err != nil {
		if err.Error() == "" {
			t.Fatal("an empty error")
		}
		return
	}
	if perr := m.Prepare(m.ReceivedAt); perr != nil {
		var v *complaint.ValidationError
		if !errors.As(perr, &v) {
			t.Fatalf("Prepare: %v is not a ValidationError", perr)
		}
		return // the importer reports it with the record's line
	}
	if !m.Channel.Valid() || m.Draft.Validate() != nil || len(m.Payload) == 0 {
		t.Fatalf("decoded an invalid message %+v", m)
	}
}

func FuzzDecoders(f *testing.F) {
	for _, name := range []string{"hotline.json", "social.json", "referrals.json"} {
		raw, _ := os.ReadFile(fixture(name))
		records.Read(strings.NewReader(string(raw)), records.JSON, records.Options{}, func(r records.Record, err error) error {
			if err == nil {
				f.Add(r.Raw, uint8(0))
			}
			return nil
		})
	}
	raw, _ := os.ReadFile(fixture("chat.jsonl"))
	for _, line := range strings.Split(string(raw), "\n") {
		f.Add([]byte(line), uint8(1))
	}
	f.Add([]byte(`{"call_id":"x","started_at":"2026-01-01","caller_phone":"1","turns":[{"at":"bad"}]}`), uint8(0))
	f.Fuzz(func(t *testing.T, raw []byte, which uint8) {
		rec := records.Record{Line: 1, Raw: raw}
		switch which % 5 {
		case 0:
			m, err := intake.DecodeHotline(rec, records.JSON)
			fuzzDecode(t, m, err)
		case 1:
			m, err := intake.DecodeChat(rec)
			fuzzDecode(t, m, err)
		case 2:
			m, err := intake.DecodeSocial(rec, records.JSON)
			fuzzDecode(t, m, err)
		case 3:
			m, err := intake.DecodeReferral(rec, records.JSON)
			fuzzDecode(t, m, err)
		case 4:
			// The same bytes as a CSV file, through the whole reader.
			records.Read(strings.NewReader("call_id,started_at,caller_phone,summary,transcript\n"+string(raw)), records.CSV, records.Options{},
				func(r records.Record, err error) error {
					if err == nil {
						m, err := intake.DecodeHotline(r, records.CSV)
						fuzzDecode(t, m, err)
					}
					return nil
				})
		}
	})
}

func FuzzFromEmail(f *testing.F) {
	for _, name := range []string{"email_gb2312.eml", "email_multipart.eml", "email_big5_html.eml"} {
		raw, _ := os.ReadFile(fixture(name))
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := intake.FromEmail(raw, march)
		if err != nil {
			var e *email.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *email.Error", err)
			}
			return
		}
		fuzzDecode(t, m, nil)
	})
}

func TestGBKHotlineCSVDetected(t *testing.T) {
	f, _ := os.Open(fixture("hotline_gbk.csv"))
	defer f.Close()
	rd, err := textio.NewReader(f, textio.Options{})
	if err != nil || rd.Encoding() != textio.GB18030 {
		t.Fatalf("the fixture must be GBK: %v %v", rd, err)
	}
}
