package datasets

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestFindUsesEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("REDRESS_DATA_DIR", dir)
	if got, err := find(); got != dir || err != nil {
		t.Errorf("find() = %q, %v; want %q", got, err, dir)
	}
	missing := filepath.Join(dir, "none")
	t.Setenv("REDRESS_DATA_DIR", missing)
	if _, err := find(); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("find() with a missing REDRESS_DATA_DIR: %v", err)
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	// This package sits four levels under the module root.
	if want, _ := filepath.Abs("../../../.."); root != want {
		t.Errorf("repoRoot() = %q, want %q", root, want)
	}
}
