//go:build race

package triage

// raceEnabled is true under -race, where training is several times slower.
const raceEnabled = true
