"""The desk's views, one module per screen: the story list, the editor, the preview, and the
authors and topics catalogues. Views are thin: they call `stories.actions` to write and
`stories.queries` to read, and leave every permission decision to those."""
