"""The bilingual edition (中英对照): a chapter paired block by block with its English original."""
