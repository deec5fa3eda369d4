package platform

import (
	"fmt"
	"os"
)

// DocumentFile reads and parses a deployment document (the grading policy,
// the units registry) from a file; what names it in errors.
func DocumentFile[T any](path, what string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	b, err := os.ReadFile(path)
	if err != nil {
		return zero, fmt.Errorf("read %s file: %w", what, err)
	}
	v, err := parse(b)
	if err != nil {
		return zero, fmt.Errorf("%s file %s: %w", what, path, err)
	}
	return v, nil
}

// DocumentFromEnv is the document in the file named by the environment
// variable env when it is set, else the embedded default. A set but
// unreadable or invalid file is an error: a deployment that asked for its
// own document never silently gets the default.
func DocumentFromEnv[T any](env, what string, parse func([]byte) (T, error), embedded func() (T, error)) (T, error) {
	if path := os.Getenv(env); path != "" {
		return DocumentFile(path, what, parse)
	}
	return embedded()
}
