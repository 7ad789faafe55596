"""Core logic of the 高校思政工作监测平台: no UI code lives here."""
