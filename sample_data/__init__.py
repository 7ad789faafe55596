"""Synthetic sample data (示例数据): the committed workbooks and their generator."""
