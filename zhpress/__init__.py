"""zhpress: Chinese translations of English long-form journalism, made into books."""
