// Package units is the registry of the bureau's units (派出所, 警种大队,
// offices): the codes carried in tokens (custom:unit) and records
// (Record.Unit), and the Chinese names people read on public pages, in the
// county feed and in exports. The embedded units.json is the default; a
// deployment replaces it with the file named by UNITS_FILE
// (platform.EnvUnitsFile). A document that does not validate is a startup
// error, while a code missing from a valid registry is never an error at
// render time: NameZH falls back to the code itself.
package units
