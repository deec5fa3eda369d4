// Package identity validates and protects the identifiers of graded subjects:
// unified social credit codes (GB 32100-2015), resident ID numbers
// (GB 11643-1999) and other identity documents; it derives the platform's
// subject ids (the credit code itself, or a keyed hash for natural persons),
// seals personal data at rest (AES-256-GCM locally, KMS envelope encryption
// in the cloud) and scrubs ID and telephone numbers from free text before it
// is published.
//
// Nothing in this package ever puts an input value into an error message: an
// ID number is personal data and errors end up in logs and API responses.
package identity
