// Package datasets locates the shared evaluation data sets for tests.
//
// The data lives outside the repository (it is never copied in). Its
// folder is $REDRESS_DATA_DIR when set, otherwise shared/data beside the
// repository (../shared/data from the directory holding go.mod), or
// ../../shared/data from it. When it cannot be found, tests are skipped
// with a message, except under CI=true, where that is a failure.
package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the data folder, or skips (fails under CI) the test.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data sets not found (CI=true makes this a failure): %v", err)
		}
		t.Skipf("shared data sets not found, skipping: %v (set REDRESS_DATA_DIR)", err)
	}
	return dir
}

// File returns the path of one data set's file, failing (or skipping, as
// Dir) if it is missing.
func File(t testing.TB, dataset, file string) string {
	t.Helper()
	p := filepath.Join(Dir(t), dataset, file)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("data file missing: %v", err)
		}
		t.Skipf("data file missing, skipping: %v", err)
	}
	return p
}

func find() (string, error) {
	if d := os.Getenv("REDRESS_DATA_DIR"); d != "" {
		if isDir(d) {
			return d, nil
		}
		return "", errors.New("REDRESS_DATA_DIR=" + d + " is not a directory")
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	for _, rel := range []string{"../shared/data", "../../shared/data"} {
		if d := filepath.Join(root, rel); isDir(d) {
			return d, nil
		}
	}
	return "", errors.New("no shared/data beside " + root)
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
