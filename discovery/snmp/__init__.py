"""SNMP: numeric OIDs, pure parsers of varbinds, the pysnmp client and the collector."""
