package textio

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// LabelledRow is one usable row of a labelled text file.
type LabelledRow struct {
	Line  int
	Text  string
	Label string
}

// LabelledStats counts what ReadLabelled saw.
type LabelledStats struct {
	Encoding Encoding
	// Rows is the number of data rows read (returned plus skipped).
	Rows int
	// SkippedEmptyText and SkippedEmptyLabel count rows left out because
	// the text or the label was empty (or only white space).
	SkippedEmptyText  int
	SkippedEmptyLabel int
}

// Skipped is the number of rows left out.
func (s LabelledStats) Skipped() int { return s.SkippedEmptyText + s.SkippedEmptyLabel }

// ReadLabelled reads (text, label) pairs from the named columns of a CSV
// with a header. Text and label are trimmed of surrounding white space;
// rows where either is empty are skipped and counted, not returned. Any
// other problem (encoding, binary content, a malformed or oversized
// record, a missing column) is an error naming the line or the columns.
func ReadLabelled(r io.Reader, textColumn, labelColumn string, opts Options) ([]LabelledRow, LabelledStats, error) {
	rd, err := NewReader(r, opts)
	if err != nil {
		return nil, LabelledStats{}, err
	}
	stats := LabelledStats{Encoding: rd.Encoding()}
	ti, err := rd.Column(textColumn)
	if err != nil {
		return nil, stats, fmt.Errorf("text column: %w", err)
	}
	li, err := rd.Column(labelColumn)
	if err != nil {
		return nil, stats, fmt.Errorf("label column: %w", err)
	}
	var rows []LabelledRow
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return rows, stats, nil
		}
		if err != nil {
			return nil, stats, err
		}
		stats.Rows++
		text := strings.TrimSpace(rec.Fields[ti])
		label := strings.TrimSpace(rec.Fields[li])
		switch {
		case text == "":
			stats.SkippedEmptyText++
		case label == "":
			stats.SkippedEmptyLabel++
		default:
			rows = append(rows, LabelledRow{Line: rec.Line, Text: text, Label: label})
		}
	}
}

// ReadLabelledFile is ReadLabelled on a file; errors name the file.
func ReadLabelledFile(path, textColumn, labelColumn string, opts Options) ([]LabelledRow, LabelledStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, LabelledStats{}, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, LabelledStats{}, fmt.Errorf("%s is a directory, not a CSV file", path)
	}
	rows, stats, err := ReadLabelled(f, textColumn, labelColumn, opts)
	if err != nil {
		return nil, stats, fmt.Errorf("%s: %w", path, err)
	}
	return rows, stats, nil
}
