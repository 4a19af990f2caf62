-- Markdown footnotes become inline `span.note` at their call, the same shape the
-- link transform gives URL notes, so both share one series of notes in both books.
function Note(el)
  return pandoc.Span(pandoc.utils.blocks_to_inlines(el.content, {pandoc.Space()}),
                     {class = 'note', ['data-kind'] = 'footnote'})
end
