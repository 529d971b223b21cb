# Parses a script with PowerShell's own parser and walks the AST for what Windows PowerShell 5.1 lacks or what the
# collector's rules forbid: ?? and ??= , ?. and ?[] , the ternary ? : , && / || pipeline chains,
# ForEach-Object -Parallel, clean blocks, ConvertFrom-Json -AsHashtable, using statements after code, aliases.
# Prints one line per problem ("line: what") and exits 1 when there is any.
param([Parameter(Mandatory = $true)][string]$Path)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$tokens = $null
$errors = $null
$ast = [System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path -LiteralPath $Path).Path, [ref]$tokens, [ref]$errors)
$problems = New-Object System.Collections.Generic.List[string]
foreach ($e in $errors) { $problems.Add(('{0}: parse error: {1}' -f $e.Extent.StartLineNumber, $e.Message)) }

function Add-Problem {
    param($Node, [string]$What)
    $problems.Add(('{0}: {1}: {2}' -f $Node.Extent.StartLineNumber, $What, ($Node.Extent.Text -split "`n")[0].Trim()))
}

# Node types that exist only in PowerShell 7 (absent from 5.1's parser): matched by name, so this runs on both.
$sevenOnly = @{
    'TernaryExpressionAst'      = 'ternary ? : (PowerShell 7)'
    'PipelineChainAst'          = '&& / || pipeline chain (PowerShell 7)'
}
$all = $ast.FindAll({ param($n) $true }, $true)
foreach ($n in $all) {
    $type = $n.GetType().Name
    if ($sevenOnly.ContainsKey($type)) { Add-Problem $n $sevenOnly[$type]; continue }
    if ($n -is [System.Management.Automation.Language.BinaryExpressionAst] -and [string]$n.Operator -eq 'QuestionQuestion') { Add-Problem $n '?? (PowerShell 7)' }
    if ($n -is [System.Management.Automation.Language.AssignmentStatementAst] -and [string]$n.Operator -eq 'QuestionQuestionEquals') { Add-Problem $n '??= (PowerShell 7)' }
    if ($n -is [System.Management.Automation.Language.MemberExpressionAst] -and $null -ne $n.PSObject.Properties['NullConditional'] -and $n.NullConditional) { Add-Problem $n '?. (PowerShell 7)' }
    if ($n -is [System.Management.Automation.Language.IndexExpressionAst] -and $null -ne $n.PSObject.Properties['NullConditional'] -and $n.NullConditional) { Add-Problem $n '?[] (PowerShell 7)' }
    if ($n -is [System.Management.Automation.Language.NamedBlockAst] -and [string]$n.BlockKind -eq 'Clean') { Add-Problem $n 'clean block (PowerShell 7.3)' }
    if ($n -is [System.Management.Automation.Language.CommandAst]) {
        $name = $n.GetCommandName()
        if ($null -eq $name) { continue }
        $params = @(foreach ($el in $n.CommandElements) { if ($el -is [System.Management.Automation.Language.CommandParameterAst]) { $el.ParameterName } })
        if ($name -ieq 'ForEach-Object' -and ($params | Where-Object { 'Parallel' -like "$_*" -and $_.Length -ge 2 })) { Add-Problem $n 'ForEach-Object -Parallel (PowerShell 7)' }
        if ($name -ieq 'ConvertFrom-Json' -and ($params | Where-Object { 'AsHashtable' -like "$_*" -and $_.Length -ge 2 })) { Add-Problem $n 'ConvertFrom-Json -AsHashtable (PowerShell 6)' }
        if ($name -ieq 'ConvertTo-Json' -and ($params | Where-Object { 'EnumsAsStrings' -like "$_*" -and $_.Length -ge 2 })) { Add-Problem $n 'ConvertTo-Json -EnumsAsStrings (PowerShell 6)' }
        # Aliases (%, ?, select, gci, iex, ...): names PowerShell resolves to an alias here, or the built-in ones.
        $alias = Get-Alias -Name $name -ErrorAction SilentlyContinue
        if ($null -ne $alias -or @('%', '?', 'select', 'where', 'foreach', 'sort', 'gci', 'gc', 'ls', 'dir', 'cat', 'iex', 'echo', 'cd', 'rm', 'del', 'cp', 'mv', 'ps', 'kill', 'curl', 'wget', 'irm', 'iwr', 'measure', 'group', 'tee', 'ft', 'fl', 'gm', 'gps', 'gsv', 'sls', 'sc', 'ni', 'md', 'rd', 'sleep') -contains $name.ToLowerInvariant()) {
            Add-Problem $n ('alias {0} (use the full command name)' -f $name)
        }
    }
}
# using statements must come first; the parser puts them in UsingStatements only when they do.
foreach ($t in $tokens) {
    if ($t.Kind -eq [System.Management.Automation.Language.TokenKind]::Using) {
        $ok = $false
        foreach ($u in $ast.UsingStatements) { if ($u.Extent.StartOffset -eq $t.Extent.StartOffset) { $ok = $true } }
        if (-not $ok) { $problems.Add(('{0}: using statement after code' -f $t.Extent.StartLineNumber)) }
    }
    # ?. and ?? tokens, whatever node they ended in
    if ([string]$t.Kind -in @('QuestionDot', 'QuestionLBracket', 'QuestionQuestion', 'QuestionQuestionEquals', 'AndAnd', 'OrOr')) {
        $problems.Add(('{0}: token {1} (PowerShell 7)' -f $t.Extent.StartLineNumber, $t.Kind))
    }
}
foreach ($p in ($problems | Select-Object -Unique)) { [Console]::Out.WriteLine($p) }
if ($problems.Count -gt 0) { exit 1 }
[Console]::Out.WriteLine(('{0}: no construct Windows PowerShell 5.1 lacks, no alias' -f $Path))
exit 0
