// Package rawbgp is a minimal BGP speaker that puts hand-built bytes on the
// wire. It exists for what GoBGP cannot originate: BGP-LS attribute TLVs that
// GoBGP v4.8 neither encodes nor decodes (RFC 8571 loss and bandwidth TLVs
// 1117–1120, the prefix metric 1155, the ASLA TLV 1122), captured UPDATEs
// replayed byte for byte, and deliberately malformed messages.
//
// The builders in message.go and ls.go return wire bytes and never validate:
// a test that wants a broken message builds one. [Dial] opens a session,
// exchanges OPEN and KEEPALIVE, and then keeps the session alive and records
// a NOTIFICATION if the peer sends one; [Session.Send] writes any bytes.
//
// rawbgp imports only the standard library and is meant for tests and
// emulators, not for production peering: it ignores everything the peer
// sends except KEEPALIVE and NOTIFICATION.
package rawbgp
