"""Labelled pitch / non-pitch messages and their fixed train / dev / test splits."""
