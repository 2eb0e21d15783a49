-- Neovim's own LSP client (nvim --headless) against `tstap --language-server`:
-- opens $SCRIPT, waits for its diagnostics, asks for completion at the end
-- of the script and for hover at $HOVER_LINE:$HOVER_COL (0-based), and
-- writes what the client received to $REPORT as JSON. Run by
-- test_neovim_client.cpp, which checks the answers.
local function fail(message)
  io.stderr:write('neovim_client.lua: ' .. message .. '\n')
  vim.cmd('cquit 2')
end

local script = os.getenv('SCRIPT')
vim.cmd('edit ' .. vim.fn.fnameescape(script))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'tstap',
  cmd = { os.getenv('TSTAP'), '--language-server' },
  root_dir = vim.fn.fnamemodify(script, ':h'),
})
if not client_id then fail('the client did not start') end
vim.lsp.buf_attach_client(buf, client_id)

if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  fail('no diagnostics within 30 s')
end
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(diagnostics, { line = d.lnum, col = d.col, severity = d.severity, message = d.message })
end

local function request(method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 20000)
  local response = responses and responses[client_id]
  if not response then fail(method .. ': no answer') end
  if response.err then fail(method .. ': ' .. vim.inspect(response.err)) end
  return response.result
end

local last = vim.api.nvim_buf_line_count(buf) - 1
local end_col = #vim.api.nvim_buf_get_lines(buf, last, last + 1, true)[1]
local uri = vim.uri_from_bufnr(buf)
local completion
-- Asked again while the server says its index is not complete yet, as editors do.
for _ = 1, 100 do
  completion = request('textDocument/completion', { textDocument = { uri = uri }, position = { line = last, character = end_col } })
  if not completion.isIncomplete then break end
  vim.wait(100)
end
local labels = {}
for _, item in ipairs(completion.items or completion) do table.insert(labels, item.label) end

local hover = request('textDocument/hover', {
  textDocument = { uri = uri },
  position = { line = tonumber(os.getenv('HOVER_LINE')), character = tonumber(os.getenv('HOVER_COL')) },
})

local report = io.open(os.getenv('REPORT'), 'w')
report:write(vim.fn.json_encode({ diagnostics = diagnostics, completion = labels, hover = hover and hover.contents.value or '' }))
report:close()
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
