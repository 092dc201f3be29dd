"""annual_reports"""
