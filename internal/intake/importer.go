package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake/email"
	"github.com/redress-project/redress/internal/intake/records"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/txsource"
)

// Importer imports files of complaints (or of the ledger) record by
// record. Bad records are reported with their line and skipped; the import
// is idempotent (each message is kept once per channel and source id) and
// resumable (a checkpoint per file, known by its content, records how far
// it got, so a second run skips the records the first one finished
// without looking each up).
type Importer struct {
	Service *Service
	Store   *store.Store
	// Progress, if set, is called after each record.
	Progress func(Progress)
	// CheckpointEvery is how many records go between checkpoints; 0
	// means 100.
	CheckpointEvery int
	// MaxRecordBytes caps a record (JSON) or a field (CSV); 0 means 1 MiB.
	MaxRecordBytes int
}

// Progress is how far the import of a file has got.
type Progress struct {
	Path    string
	Line    int // the line of the file reached
	Lines   int // the lines of the file
	Records int // records handled so far
	Failed  int
}

// Problem is a record (or a file) that could not be imported.
type Problem struct {
	Line int // 0 when the file as a whole is to blame
	Err  error
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %v", p.Line, p.Err)
	}
	return p.Err.Error()
}

// MaxProblems is how many problems a Report keeps (it counts them all).
const MaxProblems = 1000

// Report is the outcome of importing one file.
type Report struct {
	Path       string
	Kind       Kind
	Format     records.Format
	Records    int // records read, good and bad
	Created    int // new cases
	Repeats    int // linked to an open case as repeats
	Duplicates int // taken in before (by an earlier import or another channel delivery)
	Changed    int // of the duplicates, those whose content differs from what was taken in
	Resumed    int // skipped: an earlier, interrupted import of the same file did them
	Stored     int // ledger entries stored
	Failed     int
	Problems   []Problem
	// Stopped: a problem stopped reading before the end of the file.
	Stopped bool
}

func (r *Report) fail(line int, err error) {
	r.Failed++
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, Problem{Line: line, Err: err})
	}
}

// item is one message (or ledger entry) assembled from the records.
type item struct {
	index, line int
	msg         Message
	entry       store.LedgerEntry
	err         error
}

// ImportFile imports the file at path, of kind in format (ignored for
// email). Problems with records and with the file go into the report; the
// error is for what stops the import as a whole (the database, a
// cancelled context): the checkpoint then lets a new run go on from there.
func (im *Importer) ImportFile(ctx context.Context, kind Kind, format records.Format, path string) (*Report, error) {
	rep := &Report{Path: path, Kind: kind, Format: format}
	if kind == KindEmail {
		return rep, im.importEmail(ctx, path, rep)
	}
	if _, ok := columns[kind]; !ok && kind != KindLedger {
		return rep, fmt.Errorf("intake: unknown kind of import %q", kind)
	}
	f, lines, sum, err := openHashed(path)
	if err != nil {
		rep.fail(0, err)
		rep.Stopped = true
		return rep, nil
	}
	defer f.Close()
	cpKind := string(kind) + "/" + string(format)
	cp, err := im.Store.ImportCheckpoint(ctx, cpKind, sum)
	if err != nil {
		return rep, err
	}
	run := &fileRun{im: im, ctx: ctx, kind: kind, format: format, rep: rep, cp: cp, done: cp.Next,
		lines: lines}
	opts := records.Options{MaxRecordBytes: im.MaxRecordBytes}
	if kind == KindLedger {
		opts.Columns = txsource.LedgerColumns
	} else {
		opts.Columns = columns[kind]
	}
	readErr := records.Read(f, format, opts, run.record)
	if readErr == nil {
		readErr = run.flushGroup()
	}
	if readErr == nil {
		readErr = run.flushLedger()
	}
	var fe *records.FileError
	if errors.As(readErr, &fe) {
		rep.fail(fe.Line, fe.Err)
		rep.Stopped = true
		readErr = nil
	}
	// The checkpoint is saved even when the import stops, so a new run
	// goes on from there.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	cperr := im.Store.SaveImportCheckpoint(sctx, store.ImportCheckpoint{Kind: cpKind, FileSHA256: sum, Path: path,
		Next: run.done, Done: readErr == nil && !rep.Stopped})
	if readErr == nil && !rep.Stopped {
		run.line = lines
	}
	run.progress()
	return rep, errors.Join(readErr, cperr)
}

// openHashed opens a file and returns it with its number of lines and its
// SHA-256, read in one pass before the import.
func openHashed(path string) (*os.File, int, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, "", err
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = fmt.Errorf("%s is a directory, not a file", path)
	}
	h := sha256.New()
	lc := &lineCounter{}
	if err == nil {
		_, err = io.Copy(io.MultiWriter(h, lc), f)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, "", err
	}
	return f, lc.lines(), hex.EncodeToString(h.Sum(nil)), nil
}

// lineCounter counts the lines written to it.
type lineCounter struct {
	n    int
	last byte
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	if len(p) > 0 {
		c.last = p[len(p)-1]
	}
	return len(p), nil
}

func (c *lineCounter) lines() int {
	if c.last != 0 && c.last != '\n' {
		return c.n + 1
	}
	return c.n
}

// fileRun is the state of one file's import.
type fileRun struct {
	im     *Importer
	ctx    context.Context
	kind   Kind
	format records.Format
	rep    *Report
	cp     store.ImportCheckpoint
	lines  int
	line   int // the line of the last record
	// done: the records before this index are finished (imported, failed
	// for good, or skipped); it becomes the checkpoint.
	done      int
	sinceSave int
	// chat CSV: the session being gathered.
	group     *chatGroup
	groups    int
	seenGroup map[string]int
	badRow    error
	// ledger: entries waiting to be stored, and the index after the last.
	ledger     []store.LedgerEntry
	ledgerNext int
}

const ledgerBatch = 500

func (r *fileRun) record(rec records.Record, err error) error {
	if cerr := r.ctx.Err(); cerr != nil {
		return cerr
	}
	if r.kind == KindChat && r.format == records.CSV {
		return r.chatRow(rec, err)
	}
	it := item{index: rec.Index, line: rec.Line, err: err}
	if err == nil {
		switch r.kind {
		case KindLedger:
			it.entry, it.err = txsource.DecodeLedger(rec, r.format)
		case KindHotline:
			it.msg, it.err = DecodeHotline(rec, r.format)
		case KindChat:
			it.msg, it.err = DecodeChat(rec)
		case KindSocial:
			it.msg, it.err = DecodeSocial(rec, r.format)
		case KindReferrals:
			it.msg, it.err = DecodeReferral(rec, r.format)
		}
	}
	return r.handle(it)
}

// chatRow adds a CSV row to its session; a session is handled when the
// next one starts. A row that cannot be read spoils the session it is in.
func (r *fileRun) chatRow(rec records.Record, err error) error {
	if err != nil {
		r.rep.fail(rec.Line, err)
		if r.group != nil {
			r.group.bad = fmt.Errorf("line %d could not be read", rec.Line)
		} else {
			r.badRow = fmt.Errorf("line %d could not be read", rec.Line)
		}
		r.rep.Failed-- // counted with its session
		return nil
	}
	id := rec.Get("session_id")
	if r.group != nil && id == r.group.rec.SessionID && id != "" {
		r.group.add(rec)
		return nil
	}
	if err := r.flushGroup(); err != nil {
		return err
	}
	if r.seenGroup == nil {
		r.seenGroup = map[string]int{}
	}
	r.group = &chatGroup{index: r.groups, line: rec.Line}
	r.groups++
	if r.badRow != nil {
		r.group.bad, r.badRow = r.badRow, nil
	}
	if first, ok := r.seenGroup[id]; ok && id != "" {
		r.group.bad = fmt.Errorf("its rows are not together: it appeared before on line %d (sort the file by session_id)", first)
	}
	if id != "" {
		r.seenGroup[id] = rec.Line
	}
	r.group.add(rec)
	return nil
}

func (r *fileRun) flushGroup() error {
	g := r.group
	if g == nil {
		if r.badRow != nil {
			r.rep.Failed++
			r.badRow = nil
		}
		return nil
	}
	r.group = nil
	it := item{index: g.index, line: g.line}
	it.msg, it.err = g.message()
	return r.handle(it)
}

// handle imports one item, unless the checkpoint says an earlier run did.
func (r *fileRun) handle(it item) error {
	rep := r.rep
	rep.Records++
	r.line = max(r.line, it.line)
	defer r.progress()
	if it.err == nil && r.kind != KindLedger {
		// Checked before the checkpoint is consulted, so that a second run
		// reports the same bad records as the first.
		it.err = it.msg.Prepare(r.im.Service.now())
	}
	var le *records.LineError
	if errors.As(it.err, &le) && le.Line == it.line {
		it.err = le.Err
	}
	if it.err != nil {
		if it.index >= r.done {
			r.advance(it.index + 1)
		}
		rep.fail(it.line, describe(r.kind, it.err))
		return nil
	}
	if it.index < r.cp.Next {
		rep.Resumed++
		return nil
	}
	if r.kind == KindLedger {
		r.ledger = append(r.ledger, it.entry)
		r.ledgerNext = it.index + 1
		if len(r.ledger) >= ledgerBatch {
			return r.flushLedger()
		}
		return nil
	}
	res, err := r.submit(it.msg)
	var invalid *complaint.ValidationError
	switch {
	case errors.As(err, &invalid):
		rep.fail(it.line, describe(r.kind, err))
	case err != nil:
		return err
	case res.Duplicate:
		rep.Duplicates++
		if res.Changed {
			rep.Changed++
		}
	case res.Repeat:
		rep.Repeats++
	case res.Created:
		rep.Created++
	}
	r.advance(it.index + 1)
	return nil
}

// submit hands a message to the service, waiting out another handler's
// lease on it once.
func (r *fileRun) submit(m Message) (Result, error) {
	for attempt := 0; ; attempt++ {
		res, err := r.im.Service.Submit(r.ctx, m)
		var busy *ErrBusy
		if !errors.As(err, &busy) || attempt > 0 {
			return res, err
		}
		wait := time.Until(busy.Until) + 100*time.Millisecond
		t := time.NewTimer(max(wait, 0))
		select {
		case <-r.ctx.Done():
			t.Stop()
			return Result{}, r.ctx.Err()
		case <-t.C:
		}
	}
}

func (r *fileRun) flushLedger() error {
	if len(r.ledger) == 0 {
		return nil
	}
	if err := r.im.Store.UpsertLedger(r.ctx, r.ledger); err != nil {
		return err
	}
	r.rep.Stored += len(r.ledger)
	r.ledger = r.ledger[:0]
	r.advance(r.ledgerNext)
	return nil
}

// advance records that the records before next are finished, saving a
// checkpoint now and then. While ledger entries wait to be stored, the
// checkpoint stays before them.
func (r *fileRun) advance(next int) {
	if len(r.ledger) > 0 {
		return
	}
	if next > r.done {
		r.done = next
	}
	r.sinceSave++
	every := r.im.CheckpointEvery
	if every <= 0 {
		every = 100
	}
	if r.sinceSave >= every && r.done > r.cp.Next {
		r.sinceSave = 0
		// A failed save costs only some re-checking on the next run.
		_ = r.im.Store.SaveImportCheckpoint(r.ctx, store.ImportCheckpoint{Kind: r.cp.Kind, FileSHA256: r.cp.FileSHA256,
			Path: r.rep.Path, Next: r.done})
	}
}

func (r *fileRun) progress() {
	if r.im.Progress != nil {
		r.im.Progress(Progress{Path: r.rep.Path, Line: r.line, Lines: r.lines, Records: r.rep.Records, Failed: r.rep.Failed})
	}
}

// importEmail imports one .eml file.
func (im *Importer) importEmail(ctx context.Context, path string, rep *Report) error {
	rep.Records = 1
	defer func() {
		if im.Progress != nil {
			im.Progress(Progress{Path: path, Records: rep.Records, Failed: rep.Failed})
		}
	}()
	raw, err := readCapped(path, MaxPayload)
	if err != nil {
		rep.fail(0, err)
		return nil
	}
	m, err := FromEmail(raw, im.Service.now())
	if err != nil {
		rep.fail(0, err)
		return nil
	}
	res, err := (&fileRun{im: im, ctx: ctx}).submit(m)
	var invalid *complaint.ValidationError
	switch {
	case errors.As(err, &invalid):
		rep.fail(0, describe(KindEmail, err))
	case err != nil:
		return err
	case res.Duplicate:
		rep.Duplicates++
	case res.Repeat:
		rep.Repeats++
	default:
		rep.Created++
	}
	return nil
}

func readCapped(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, &email.Error{Code: email.CodeTooLarge, Message: fmt.Sprintf("the file is over the limit of %d bytes", limit)}
	}
	return b, nil
}

// describe names a domain field by the file's own name for it.
func describe(kind Kind, err error) error {
	var v *complaint.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	field := v.Field
	switch {
	case field == "customer.phone" && kind == KindHotline:
		field = "caller_phone"
	case field == "external_ref":
		field = "reference"
	case strings.HasPrefix(field, "customer."):
		field = "customer_" + strings.TrimPrefix(field, "customer.")
	case strings.HasPrefix(field, "attachments["):
		field = "media" + strings.TrimPrefix(field, "attachments")
	}
	msg := strings.ReplaceAll(v.Message, v.Field, field)
	if strings.HasPrefix(msg, field) {
		return errors.New(msg)
	}
	return fmt.Errorf("%s: %s", field, msg)
}
