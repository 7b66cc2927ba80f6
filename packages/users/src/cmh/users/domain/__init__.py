"""The Users domain: pure rules, no I/O, no clock or id generation of its own."""
