-- Obsidian's Markdown as a book prints it (pandoc reads it with wikilinks_title_after_pipe
-- and mark; zhpress/read/obsidian.py has already taken out comments and ended callout titles).

-- [[page]] and [[page|alias]]: the text, without a link (a book has no vault to link into).
function Link(el)
  if el.classes:includes('wikilink') then
    return el.content
  end
end

-- ![[picture.png]] and ![[picture.png|alt]]: marked `embed`, resolved the way Obsidian
-- resolves it by the figure transform; `|300` or `|300x200` is a size, not an alt text.
function Image(el)
  if el.classes:includes('wikilink') then
    local alt = pandoc.utils.stringify(el.caption)
    if alt:match('^%d+$') or alt:match('^%d+x%d+$') then
      el.caption = {}
    end
    el.classes = {'embed'}
    return el
  end
end

-- The inlines of a callout's first paragraph after its [!type] marker: the title up to the
-- hard line break, and the text after it.
local function split_title(inlines)
  local title, rest, broken = {}, {}, false
  for i = 2, #inlines do
    local item = inlines[i]
    if not broken and item.t == 'LineBreak' then
      broken = true
    elseif broken then
      rest[#rest + 1] = item
    elseif #title > 0 or item.t ~= 'Space' then
      title[#title + 1] = item
    end
  end
  return title, rest
end

-- > [!note] 译注 … : a set-apart box headed by its title; [!quote] and [!cite]: a quotation.
function BlockQuote(el)
  local first = el.content[1]
  if not first or (first.t ~= 'Para' and first.t ~= 'Plain') then return nil end
  local marker = first.content[1]
  if not marker or marker.t ~= 'Str' then return nil end
  local kind = marker.text:match('^%[!([%a][%w-]*)%][+-]?$')
  if not kind then return nil end
  kind = kind:lower()
  local title, rest = split_title(first.content)
  local body = {}
  if #title > 0 then
    body[1] = pandoc.Div({pandoc.Plain(title)}, {class = 'callout-title'})
  end
  if #rest > 0 then
    body[#body + 1] = pandoc.Para(rest)
  end
  for i = 2, #el.content do
    body[#body + 1] = el.content[i]
  end
  if kind == 'quote' or kind == 'cite' then
    return pandoc.BlockQuote(body)
  end
  return pandoc.Div(body, {class = 'callout callout-' .. kind})
end
