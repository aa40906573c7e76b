"""The contacts UI, split by sub-domain: listing and export, editing, the contact page with
its consent ledger, and a person's rights (data export and erasure)."""
