"""Agency wires: the sources a newsroom subscribes to and the items they send (docs/wires.md).

Wire items are never public: nothing here is read by the reader site, the feeds or the public
API. `parsers` reads ninjs, NewsML-G2 and RSS/Atom into `ParsedItem`s; `actions` stores them
(one transaction per item, merged by GUID) and manages sources; `polling` fetches due feeds;
`queries` is what the desk reads.
"""
