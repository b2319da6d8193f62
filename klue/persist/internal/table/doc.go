// Package table checks store names and turns them into SQL table names.
package table
