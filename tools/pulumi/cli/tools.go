//go:build tools

// Package cli pins the Pulumi CLI module so `go build` can produce the binary
// offline from the Go module proxy; no prebuilt-binary installer works here.
package cli

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi/cmd"
