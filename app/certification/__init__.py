"""Certificates: signing keys, issuing and revoking, verification, the Open Badges
credential and status list, the PDF, and the append-only audit log (docs/certificates.md)."""
