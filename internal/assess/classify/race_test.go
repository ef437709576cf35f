//go:build race

package classify

// raceEnabled lets slow data tests train on fewer rows under -race, where
// every memory access is instrumented.
const raceEnabled = true
