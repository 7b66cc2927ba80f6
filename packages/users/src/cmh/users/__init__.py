"""Users bounded context: identity, profiles, roles and subscription tier.

``domain`` holds the rules, ``application`` the use cases and their ports, ``adapters``
the technology behind the ports, ``api`` the HTTP surface, ``di`` the dishka providers.
"""
