<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArticlePicker</name>
    <message>
        <location filename="../../gridworker/ui/article_picker.py" line="180"/>
        <source>Find an article: 医保, 低保, yb…</source>
        <translation>查找文章：医保、低保、yb…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/article_picker.py" line="250"/>
        <source>Explained: %1 · Handed out: %2</source>
        <translation>已讲解：%1 · 已发放：%2</translation>
    </message>
</context>
<context>
    <name>BackcheckPage</name>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="162"/>
        <source>Back-check calls</source>
        <translation>电话回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="177"/>
        <source>Verification failures per worker (denied / reached)</source>
        <translation>各网格员核实不符率（不属实 / 已联系上）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="204"/>
        <source>Show the &amp;number to call</source>
        <translation>显示回访号码(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="211"/>
        <source>Note (what the household said)</source>
        <translation>备注（住户怎么说）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="216"/>
        <source>&amp;Confirmed</source>
        <translation>属实(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="217"/>
        <source>&amp;Denied</source>
        <translation>不属实(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="218"/>
        <source>&amp;Unreachable</source>
        <translation>无法联系(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="265"/>
        <source>No back-check calls have been drawn for this area yet.</source>
        <translation>本辖区还没有抽取电话回访。</translation>
    </message>
</context>
<context>
    <name>BounceDialog</name>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="156"/>
        <source>Send back</source>
        <translation>退单</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="156"/>
        <source>Note (optional):</source>
        <translation>备注（可不填）：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="165"/>
        <source>&amp;Whose is it:</source>
        <translation>应由谁办(&amp;W)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="169"/>
        <source>e.g. 供电公司</source>
        <translation>例如：供电公司</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="173"/>
        <source>Why does it go back?</source>
        <translation>退单原因：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="186"/>
        <source>Choose why it goes back.</source>
        <translation>请选择退单原因。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="188"/>
        <source>Say whose matter it is.</source>
        <translation>请写明应由哪个部门办理。</translation>
    </message>
</context>
<context>
    <name>CardsBatchDialog</name>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="229"/>
        <source>Print contact cards</source>
        <translation>打印便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="231"/>
        <source>Contact cards for households</source>
        <translation>为住户打印便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="237"/>
        <source>&amp;Whose card</source>
        <translation>网格员(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="244"/>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="246"/>
        <source>The whole &amp;grid</source>
        <translation>整个网格(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="247"/>
        <source>One &amp;building</source>
        <translation>一个楼栋(&amp;B)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/cards_batch.py" line="249"/>
        <source>The households selected in the list (%n)</source>
        <translation>
            <numerusform>列表中选中的住户（%n 户）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="267"/>
        <source>Print each household&apos;s &amp;address on its card</source>
        <translation>在每户的卡上印该户地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="280"/>
        <source>Open &amp;Settings</source>
        <translation>打开设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="289"/>
        <source>&amp;Next: layout and print…</source>
        <translation>下一步：版式与打印(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="314"/>
        <source>%1 (me)</source>
        <translation>%1（本人）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/cards_batch.py" line="400"/>
        <source>%n card(s), one for each household, in walking order</source>
        <translation>
            <numerusform>共 %n 张，每户一张，按走访顺序排列</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="83"/>
        <source>Your card has no phone number yet, and a card without one is no use to the residents. Set your phone in Settings → My contact card, then print.</source>
        <translation>您的联系卡上还没有电话号码，没有电话的联系卡对居民没有用处。请先在“设置 → 我的便民联系卡”中填写手机号，再打印。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_batch.py" line="88"/>
        <source>%1 has not set a phone number for the card yet: ask them to set it in Settings → My contact card and sync.</source>
        <translation>%1 尚未在联系卡上设置电话号码：请其在“设置 → 我的便民联系卡”中填写并同步。</translation>
    </message>
</context>
<context>
    <name>CardsDialog</name>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="104"/>
        <location filename="../../gridworker/ui/cards_dialog.py" line="340"/>
        <source>Contact cards</source>
        <translation>便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="130"/>
        <source>Layout</source>
        <translation>版式</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="133"/>
        <source>&amp;Single card, 90 × 54 mm</source>
        <translation>单张卡片，90 × 54 毫米(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="134"/>
        <source>A&amp;4 sheet, 10 cards a page, with crop marks</source>
        <translation>A4 整版，每页 10 张，带裁切线(&amp;4)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="135"/>
        <source>A&amp;3 poster for the compound entrance</source>
        <translation>A3 海报，张贴在小区门口(&amp;3)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="145"/>
        <source>Print the household&apos;s &amp;address on each card</source>
        <translation>在每张卡上印住户地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="149"/>
        <source>None of these cards is for a household with an address.</source>
        <translation>这些联系卡对应的住户都没有地址。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="155"/>
        <source>No Chinese font is installed: cards cannot be printed. Install one (for example fonts-wqy-microhei or Noto Sans CJK SC) and open this dialog again.</source>
        <translation>未安装中文字体，无法打印联系卡。请安装中文字体（例如 fonts-wqy-microhei 或 Noto Sans CJK SC）后重新打开此窗口。

No Chinese font is installed: cards cannot be printed. Install one (for example fonts-wqy-microhei or Noto Sans CJK SC) and open this dialog again.</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="171"/>
        <source>Print pre&amp;view…</source>
        <translation>打印预览(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="172"/>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="173"/>
        <source>Save as P&amp;DF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/cards_dialog.py" line="222"/>
        <location filename="../../gridworker/ui/cards_dialog.py" line="226"/>
        <source>%n card(s)</source>
        <translation>
            <numerusform>%n 张联系卡</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/cards_dialog.py" line="222"/>
        <source>, on %n A4 page(s)</source>
        <translation>
            <numerusform>，共 %n 页 A4 纸</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="224"/>
        <source>One A3 poster of the worker&apos;s card, without an address</source>
        <translation>一张 A3 海报，印网格员本人的联系卡，不印地址</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="239"/>
        <source>No Chinese font is installed: no preview.</source>
        <translation>未安装中文字体，无法预览。
No Chinese font is installed: no preview.</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="256"/>
        <source>No Chinese font</source>
        <translation>未安装中文字体 / No Chinese font</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="258"/>
        <source>No font for Chinese is installed on this computer, so the cards would print boxes instead of Chinese. Nothing was printed.

Install a Chinese font (for example fonts-wqy-microhei or Noto Sans CJK SC) and try again.</source>
        <translation>本机未安装中文字体，联系卡上的中文会打印成方框，因此未打印任何内容。请安装中文字体（例如 fonts-wqy-microhei 或 Noto Sans CJK SC）后重试。

No font for Chinese is installed on this computer, so the cards would print boxes instead of Chinese. Nothing was printed.

Install a Chinese font (for example fonts-wqy-microhei or Noto Sans CJK SC) and try again.</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="278"/>
        <source>Print preview: contact cards</source>
        <translation>打印预览：便民联系卡</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/cards_dialog.py" line="289"/>
        <location filename="../../gridworker/ui/cards_dialog.py" line="303"/>
        <source>%n card(s) sent to the printer.</source>
        <translation>
            <numerusform>已将 %n 张联系卡发送到打印机。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="296"/>
        <source>Print contact cards</source>
        <translation>打印便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="311"/>
        <source>Save contact cards as PDF</source>
        <translation>将便民联系卡另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="313"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="321"/>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="341"/>
        <source>The PDF was not saved.</source>
        <translation>PDF 未保存。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="341"/>
        <source>The cards were not printed.</source>
        <translation>联系卡未打印。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/cards_dialog.py" line="348"/>
        <source>Preparing %n card(s)…</source>
        <translation>
            <numerusform>正在准备 %n 张联系卡…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/cards_dialog.py" line="348"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ConvertDialog</name>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="230"/>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="233"/>
        <source>Encrypting your data</source>
        <translation>正在加密您的数据</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="236"/>
        <source>Encrypting the data on this laptop… A large database takes a minute. Keep the laptop on; if it goes off, nothing is lost.</source>
        <translation>正在加密本机上的数据…数据多时约需一分钟。请保持电脑开机；即使意外关机，数据也不会丢失。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="263"/>
        <source>The data could not be encrypted; it is as it was. Details were written to the log.</source>
        <translation>数据未能加密，已保持原样。详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>CoveragePage</name>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="467"/>
        <source>%1-%2</source>
        <translation>%1年%2月</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="177"/>
        <source>&amp;Area:</source>
        <translation>区域(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="179"/>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="181"/>
        <source>&amp;Report (PDF)…</source>
        <translation>考核月报(&amp;R) PDF…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="207"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="451"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="464"/>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="208"/>
        <source>Workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="209"/>
        <source>Silent</source>
        <translation>未上传</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="251"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="296"/>
        <source>This laptop holds no community or street yet: sync first.</source>
        <translation>本机还没有社区或街道的数据，请先同步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="310"/>
        <source>street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="310"/>
        <source>community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="324"/>
        <source>Silent (%1)</source>
        <translation>未上传（%1）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="326"/>
        <source>Households visited per grid</source>
        <translation>各网格户户到</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="330"/>
        <source>goal</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="212"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="350"/>
        <source>Twelve months</source>
        <translation>近十二个月</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="353"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="405"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="454"/>
        <source>Households visited</source>
        <translation>户户到</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="354"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="406"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="455"/>
        <source>Residents seen</source>
        <translation>人人见</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="332"/>
        <source>Visits per day</source>
        <translation>每日走访次数</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="362"/>
        <source>Households visited: %1 of %2 (%3)</source>
        <translation>户户到 %1/%2 户（%3）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="366"/>
        <source>residents seen: %1 of %2 (%3)</source>
        <translation>人人见 %1/%2 人（%3）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="370"/>
        <source>overdue %1, care-tag overdue %2 of %3</source>
        <translation>逾期 %1 户，关爱对象逾期 %2/%3 户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="374"/>
        <source>%1 visits, %2 a day</source>
        <translation>走访 %1 次，日均 %2 次</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="377"/>
        <source>approved %1, returned %2, questioned %3, pending %4</source>
        <translation>通过 %1，退回 %2，存疑 %3，待审 %4</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="382"/>
        <source>back-checks %1 of %2 done, %3 denied</source>
        <translation>电话回访 %1/%2 次，不属实 %3 次</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="387"/>
        <source>As of %1; goal %2.</source>
        <translation>统计截至 %1；户户到目标 %2。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="407"/>
        <source>Overdue</source>
        <translation>逾期户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="408"/>
        <source>Care overdue</source>
        <translation>关爱逾期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="409"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="452"/>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="410"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="456"/>
        <source>Approved</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="411"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="457"/>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="412"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="458"/>
        <source>Questioned</source>
        <translation>存疑</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="413"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="459"/>
        <source>Checked/denied</source>
        <translation>回访/不属实</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="423"/>
        <source>(community)</source>
        <translation>（社区合计）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="338"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="426"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="427"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="348"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="427"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="436"/>
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="450"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="464"/>
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="453"/>
        <source>A day</source>
        <translation>日均</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="460"/>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="464"/>
        <source>Latest upload</source>
        <translation>最近上传</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="471"/>
        <source>never</source>
        <translation>从未上传</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="482"/>
        <source>Save the monthly report</source>
        <translation>保存考核月报</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/coverage_page.py" line="496"/>
        <source>Report not saved</source>
        <translation>月报未保存</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="77"/>
        <source>Pending</source>
        <translation>待审</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="78"/>
        <source>Approved</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="79"/>
        <source>Returned for correction</source>
        <translation>退回修改</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="80"/>
        <source>Questioned</source>
        <translation>存疑</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="81"/>
        <source>Amended</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="159"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="172"/>
        <location filename="../../gridworker/ui/review/export_page.py" line="516"/>
        <source>%v of %m rows</source>
        <translation>%v / %m 行</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="175"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="179"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="183"/>
        <source>&amp;Open the folder</source>
        <translation>打开所在文件夹(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="203"/>
        <source>What to export</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="205"/>
        <source>Visits</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="205"/>
        <source>Requests</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="205"/>
        <source>Coverage</source>
        <translation>覆盖情况</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="219"/>
        <source>Which rows</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="225"/>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="226"/>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="227"/>
        <source>All grid workers</source>
        <translation>全部网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="235"/>
        <source>Area</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="236"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="237"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="252"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="255"/>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="257"/>
        <source>Any outcome</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="261"/>
        <source>Any review state</source>
        <translation>全部审核状态</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="267"/>
        <source>Outcome, review</source>
        <translation>结果与审核</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="276"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="279"/>
        <source>Excel workbook (.xlsx)</source>
        <translation>Excel 工作簿 (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="281"/>
        <source>CSV (.csv, UTF-8)</source>
        <translation>CSV (.csv，UTF-8)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="288"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="291"/>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="296"/>
        <source>Save as</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="298"/>
        <source>Include personal data (phone numbers in full)</source>
        <translation>包含个人信息（完整电话号码）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="301"/>
        <source>The file then holds residents&apos; phone numbers: keep it safe. The export is recorded either way.</source>
        <translation>文件将包含居民的完整电话号码，请妥善保管。无论是否勾选，本次导出都会被记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="336"/>
        <source>Flag: %1</source>
        <translation>标记：%1（来自审核列表）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="427"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="427"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="428"/>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="443"/>
        <source>Choose where to save the file.</source>
        <translation>请选择文件的保存位置。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="447"/>
        <source>%1 is a folder; give a file name.</source>
        <translation>%1 是一个文件夹，请填写文件名。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="490"/>
        <source>Replace the file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="491"/>
        <source>%1 exists already. Replace it?</source>
        <translation>%1 已存在。要替换它吗？</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="500"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/export_page.py" line="527"/>
        <source>Saved %n row(s) to %1.</source>
        <translation>
            <numerusform>已保存 %n 行到 %1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/export_page.py" line="529"/>
        <source>The rows fill %n sheet(s).</source>
        <translation>
            <numerusform>共 %n 个工作表。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="547"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="548"/>
        <source>The export was cancelled; no file was written.</source>
        <translation>导出已取消，未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/export_page.py" line="558"/>
        <source>The export failed; no file was written. Details were written to the log.</source>
        <translation>导出失败，未写入任何文件。详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>GuidePage</name>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="88"/>
        <source>Search the guide: 医保, 低保, a phone number, or pinyin initials (yb for 医保)</source>
        <translation>搜索政策指南：医保、低保、电话号码，或拼音首字母（yb 即医保）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="92"/>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="99"/>
        <source>Only the articles that are new or changed since you last opened them</source>
        <translation>只看上次查看后新增或更新的文章</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="102"/>
        <location filename="../../gridworker/ui/guide_page.py" line="353"/>
        <source>Print handout…</source>
        <translation>打印宣传页…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="105"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="106"/>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/guide_page.py" line="241"/>
        <source>%n article(s)</source>
        <translation>
            <numerusform>共 %n 篇</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/guide_page.py" line="243"/>
        <source>The best %n articles</source>
        <translation>
            <numerusform>最相关的 %n 篇</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="245"/>
        <source>No article matches. Try fewer characters, or pinyin initials (yb for 医保).</source>
        <translation>没有找到相关文章。请少输入几个字，或改用拼音首字母（yb 即医保）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="247"/>
        <source>Nothing new since you last read the guide.</source>
        <translation>上次查看后没有新内容。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="249"/>
        <source>No articles yet: the guide arrives with the next sync.</source>
        <translation>还没有文章：政策指南将在下次同步时下载。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="254"/>
        <source>What&apos;s new (%1)</source>
        <translation>新内容（%1）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="337"/>
        <source>Choose an article on the left to read it here. Select several to print them together.</source>
        <translation>在左侧选择一篇文章，即可在此阅读。选中多篇可一起打印。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="353"/>
        <source>Print handout (%1)…</source>
        <translation>打印宣传页（%1 篇）…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="360"/>
        <source>Grid worker %1</source>
        <translation>网格员 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="380"/>
        <location filename="../../gridworker/ui/guide_page.py" line="423"/>
        <source>Policy guide handout</source>
        <translation>政策指南宣传页</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="390"/>
        <source>Save handout as PDF</source>
        <translation>将宣传页另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="390"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="405"/>
        <source>The PDF could not be saved (%1). Choose another folder.</source>
        <translation>PDF 无法保存（%1）。请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="426"/>
        <source>Print handout</source>
        <translation>打印宣传页</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_page.py" line="447"/>
        <source>Handout</source>
        <translation>宣传页</translation>
    </message>
</context>
<context>
    <name>HouseholdEditDialog</name>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="169"/>
        <source>Edit household</source>
        <translation>编辑住户信息</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="182"/>
        <source>Mobile or landline, e.g. 13812345678 or 0527-84361234</source>
        <translation>手机号或固定电话，例如 13812345678 或 0527-84361234</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="183"/>
        <source>&amp;Phone</source>
        <translation>电话(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="197"/>
        <source>Care tags</source>
        <translation>关爱标签</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="209"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="215"/>
        <source>Visit &amp;interval</source>
        <translation>走访周期(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="222"/>
        <source>&amp;Notes</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="243"/>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="252"/>
        <source>&amp;Add member</source>
        <translation>添加成员(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="255"/>
        <source>Edi&amp;t member</source>
        <translation>编辑成员(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="258"/>
        <source>Mark as &amp;moved out</source>
        <translation>标记为已迁出(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="260"/>
        <source>The member moved out; the visit history keeps them</source>
        <translation>将成员标记为已迁出；走访记录中仍保留其信息</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="275"/>
        <source>Follow the care tags (%1 days)</source>
        <translation>按关爱标签确定（%1 天）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="352"/>
        <source>Member moved out</source>
        <translation>成员迁出</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="353"/>
        <source>Mark %1 as moved out? The visit history keeps them.</source>
        <translation>确定将 %1 标记为已迁出吗？走访记录中仍会保留其信息。</translation>
    </message>
</context>
<context>
    <name>HouseholdPanel</name>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="171"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="172"/>
        <source>Care tags</source>
        <translation>关爱标签</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="173"/>
        <source>Next visit</source>
        <translation>下次走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="174"/>
        <source>Building liaison</source>
        <translation>楼栋长</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="175"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="176"/>
        <source>Contact card</source>
        <translation>便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="177"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="308"/>
        <source>Record &amp;visit</source>
        <translation>记录走访(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="310"/>
        <source>Record a visit to this household (Ctrl+N)</source>
        <translation>记录对本户的走访（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="312"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="314"/>
        <source>Edit the household: phone, members, care tags, notes (Ctrl+E)</source>
        <translation>编辑住户：电话、成员、关爱标签、备注（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="317"/>
        <source>Correct the visit selected in the Visits tab (the original is kept)</source>
        <translation>更正“走访记录”中选中的走访（原记录保留）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="320"/>
        <source>&amp;Print contact card…</source>
        <translation>打印联系卡(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="322"/>
        <source>Print this household&apos;s contact card, with its address (Ctrl+P)</source>
        <translation>打印本户的便民联系卡，卡上印本户地址（Ctrl+P）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="128"/>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="178"/>
        <source>Needs attention</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="141"/>
        <source>Visits</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="157"/>
        <source>Requests</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="158"/>
        <source>Cards</source>
        <translation>联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="162"/>
        <source>Choose a household from the list.</source>
        <translation>请从列表中选择一户。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="203"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/household_panel.py" line="205"/>
        <source>Show the full phone number for %n second(s); the look is recorded</source>
        <translation>
            <numerusform>显示完整电话号码 %n 秒；本次查看会被记录</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="232"/>
        <source>Show phone</source>
        <translation>显示电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="233"/>
        <source>Show ID number</source>
        <translation>显示身份证号</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/household_panel.py" line="237"/>
        <source>Show the chosen member&apos;s value in full for %n second(s); the look is recorded</source>
        <translation>
            <numerusform>完整显示所选成员的号码 %n 秒；本次查看会被记录</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="316"/>
        <source>Correct visi&amp;t</source>
        <translation>更正走访(&amp;T)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/household_panel.py" line="377"/>
        <source>every %n day(s)</source>
        <translation>
            <numerusform>每 %n 天一次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="390"/>
        <source>Members (%1)</source>
        <translation>成员 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="391"/>
        <source>Visits (%1)</source>
        <translation>走访 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="392"/>
        <source>Requests (%1)</source>
        <translation>诉求 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="393"/>
        <source>Cards (%1)</source>
        <translation>联系卡 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="410"/>
        <source>Visit of %1: %2</source>
        <translation>%1 的走访：%2</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="419"/>
        <source>%1: kept %2; other value %3 (for review)</source>
        <translation>%1：已保留 %2；另一值 %3（留待核查）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="428"/>
        <source>Choose the visit in the Visits tab and correct it.</source>
        <translation>请在“走访”页中选择该走访记录并修改。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="430"/>
        <source>See Unsent to acknowledge.</source>
        <translation>请在“未发送”中查看并点“已阅”。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="446"/>
        <source>Review: %1</source>
        <translation>审核：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="450"/>
        <source>To correct: %1</source>
        <translation>需修改：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="454"/>
        <source>Policy guide: %1</source>
        <translation>政策指南：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="454"/>
        <source>Policy guide: none</source>
        <translation>政策指南：无</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="474"/>
        <source>due %1</source>
        <translation>期限 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="490"/>
        <source>Not given yet</source>
        <translation>尚未发放</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_panel.py" line="492"/>
        <source>Given %1</source>
        <translation>已于 %1 发放</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/household_panel.py" line="495"/>
        <source>reprinted %n time(s)</source>
        <translation>
            <numerusform>补发 %n 次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="321"/>
        <source>Name, pinyin, address, phone or ID (Ctrl+F)</source>
        <translation>姓名、拼音、地址、电话或身份证（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="323"/>
        <source>Name, pinyin (zs), address (3-2-501, 3栋2单元501), phone or last 4 of an ID number (Ctrl+F)</source>
        <translation>姓名、拼音（zs）、地址（3-2-501、3栋2单元501）、电话或身份证号后4位（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="329"/>
        <source>&amp;Overdue only</source>
        <translation>只看逾期(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="331"/>
        <source>Contact &amp;cards…</source>
        <translation>便民联系卡(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="334"/>
        <source>Print contact cards for the whole grid, one building, or the households selected in the list</source>
        <translation>为整个网格、一个楼栋或列表中选中的住户打印便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="360"/>
        <source>All care tags</source>
        <translation>全部关爱标签</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="372"/>
        <source>All buildings</source>
        <translation>全部楼栋</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="405"/>
        <source>No household matches. Try fewer letters, or pinyin initials.</source>
        <translation>没有找到符合条件的住户。请少输入几个字，或改用拼音首字母。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/pages.py" line="408"/>
        <location filename="../../gridworker/ui/pages.py" line="417"/>
        <location filename="../../gridworker/ui/pages.py" line="436"/>
        <source>%n household(s)</source>
        <translation>
            <numerusform>共 %n 户</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LockController</name>
    <message>
        <location filename="../../gridworker/ui/lock.py" line="182"/>
        <source>&amp;Lock now</source>
        <translation>立即锁定(&amp;L)</translation>
    </message>
</context>
<context>
    <name>LockPlate</name>
    <message>
        <location filename="../../gridworker/ui/lock.py" line="86"/>
        <source>Gridworker is locked</source>
        <translation>网格通已锁定</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/lock.py" line="88"/>
        <source>The residents&apos; data is hidden until you type your PIN.</source>
        <translation>输入 PIN 码后才会显示居民信息。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="83"/>
        <source>Gridworker — %1</source>
        <translation>Gridworker 网格员工作台 — %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="102"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="103"/>
        <source>Households</source>
        <translation>住户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="104"/>
        <location filename="../../gridworker/ui/main_window.py" line="290"/>
        <source>Policy guide</source>
        <translation>政策指南</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="105"/>
        <source>Unsent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="106"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="129"/>
        <source>Offline: changes are kept on this laptop</source>
        <translation>离线：更改已保存在本机</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="188"/>
        <source>Sign &amp;in again…</source>
        <translation>重新登录(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="199"/>
        <source>Sign in again to sync. Everything you recorded is kept on this laptop, and the unsent changes go out once you are signed in.</source>
        <translation>需要重新登录才能同步。您记录的内容都保存在本机，登录后未发送的更改会自动发送。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="204"/>
        <source>This version of Gridworker is too old to sync with the server. Install the update; everything you recorded is kept on this laptop and is sent after the update.</source>
        <translation>当前版本过旧，无法与服务器同步，需要更新软件。您记录的内容都保存在本机，更新后会继续发送。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="208"/>
        <source>Sync has stopped: %1</source>
        <translation>同步已停止：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/main_window.py" line="258"/>
        <source>%n policy guide article(s) new or updated</source>
        <translation>
            <numerusform>政策指南有 %n 篇文章新增或更新</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/main_window.py" line="260"/>
        <source>%n withdrawn</source>
        <translation>
            <numerusform>%n 篇已撤回</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="290"/>
        <source>Policy guide (%1)</source>
        <translation>政策指南（%1）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/main_window.py" line="291"/>
        <source>%n article(s) new or updated since you last read them</source>
        <translation>
            <numerusform>上次查看后有 %n 篇文章新增或更新</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="319"/>
        <source>Grid worker %1</source>
        <translation>网格员 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="433"/>
        <source>Returned for correction: %1</source>
        <translation>退回修改：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="438"/>
        <source>Unsent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="562"/>
        <source>Contact card</source>
        <translation>便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/main_window.py" line="565"/>
        <source>Open &amp;Settings</source>
        <translation>打开设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/lock.py" line="51"/>
        <location filename="../../gridworker/ui/main_window.py" line="83"/>
        <location filename="../../gridworker/ui/main_window.py" line="583"/>
        <source>Gridworker</source>
        <translation>Gridworker</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="65"/>
        <source>Edit member</source>
        <translation>编辑成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="65"/>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="81"/>
        <source>(from the ID number)</source>
        <translation>（按身份证号）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="87"/>
        <source>18 characters; birth date and sex are read from it</source>
        <translation>18 位；出生日期和性别将从中自动读取</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="93"/>
        <source>Mobile or landline, e.g. 13812345678 or 0527-84361234</source>
        <translation>手机号或固定电话，例如 13812345678 或 0527-84361234</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="95"/>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="96"/>
        <source>&amp;Relation</source>
        <translation>与户主关系(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="97"/>
        <source>&amp;ID number</source>
        <translation>身份证号(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="98"/>
        <source>&amp;Sex</source>
        <translation>性别(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="99"/>
        <source>&amp;Birth date</source>
        <translation>出生日期(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="100"/>
        <source>&amp;Phone</source>
        <translation>电话(&amp;P)</translation>
    </message>
</context>
<context>
    <name>MyCardSection</name>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="98"/>
        <source>My contact card</source>
        <translation>我的便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="118"/>
        <source>Mobile &amp;phone</source>
        <translation>手机号(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="124"/>
        <source>Service &amp;hours</source>
        <translation>服务时间(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="148"/>
        <source>Re&amp;move photo</source>
        <translation>删除照片(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="155"/>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="130"/>
        <source>A short li&amp;ne</source>
        <translation>服务寄语(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="145"/>
        <source>Choose pho&amp;to…</source>
        <translation>选择照片(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="160"/>
        <source>Save my car&amp;d</source>
        <translation>保存联系卡(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="231"/>
        <source>Choose a photo for your card</source>
        <translation>选择联系卡照片</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="231"/>
        <source>Pictures (*.jpg *.jpeg *.png *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="262"/>
        <location filename="../../gridworker/ui/my_card.py" line="273"/>
        <source>No photo</source>
        <translation>无照片</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="308"/>
        <source>No Chinese font is installed: no preview.</source>
        <translation>未安装中文字体，无法预览。
No Chinese font is installed: no preview.</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="332"/>
        <source>Saved. Your card is sent to the server with the next sync.</source>
        <translation>已保存。联系卡将在下次同步时发送到服务器。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="334"/>
        <source>Nothing changed.</source>
        <translation>没有更改。</translation>
    </message>
</context>
<context>
    <name>NewPasswordDialog</name>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="41"/>
        <location filename="../../gridworker/ui/new_password.py" line="43"/>
        <source>Set your own password</source>
        <translation>设置您自己的密码</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="46"/>
        <source>You signed in with the password your office gave you. Choose your own now (at least {n} characters); Gridworker syncs once it is set.</source>
        <translation>您使用的是单位发放的初始密码。请现在设置您自己的密码（至少 {n} 个字符）；设置后即开始同步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="59"/>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="60"/>
        <source>&amp;Repeat it</source>
        <translation>再输一次(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="65"/>
        <source>&amp;Set password</source>
        <translation>设置密码(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="80"/>
        <source>The password needs at least {n} characters.</source>
        <translation>密码至少需要 {n} 个字符。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="82"/>
        <source>The two passwords differ. Type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="84"/>
        <source>Choose a password other than the one your office gave you.</source>
        <translation>请设置一个与单位发放的初始密码不同的密码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/new_password.py" line="111"/>
        <source>The password could not be set. Try again in a moment.</source>
        <translation>密码未能设置，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="141"/>
        <source>Write what was done.</source>
        <translation>请写明办理情况。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="143"/>
        <source>A note holds at most 500 characters.</source>
        <translation>说明最多 500 字。</translation>
    </message>
</context>
<context>
    <name>PinPanel</name>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="300"/>
        <source>Enter the PIN of {user} to continue.</source>
        <translation>请输入 {user} 的 PIN 码以继续。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="300"/>
        <source>Enter your PIN.</source>
        <translation>请输入您的 PIN 码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="306"/>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="310"/>
        <source>&amp;PIN</source>
        <translation>PIN 码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="320"/>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="393"/>
        <source>Checking the PIN…</source>
        <translation>正在核对 PIN 码…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="342"/>
        <source>The PIN was wrong {n} times. Sign in with your password to set a new PIN. Without a network, you can try the PIN again after a wait that grows with every wrong PIN.</source>
        <translation>PIN 码已输错 {n} 次。请用登录密码登录服务器，然后设置新的 PIN 码。没有网络时，可以等待一段时间后再试 PIN 码，每输错一次，等待时间都会加长。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="347"/>
        <source>The PIN was wrong {n} times. You can try it again after a wait that grows with every wrong PIN.</source>
        <translation>PIN 码已输错 {n} 次。等待一段时间后可以再试，每输错一次，等待时间都会加长。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="356"/>
        <source>Sign &amp;in with password</source>
        <translation>用密码登录(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="360"/>
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="409"/>
        <source>Type your PIN.</source>
        <translation>请输入 PIN 码。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/pin_dialogs.py" line="432"/>
        <source>Wrong PIN. %n more tries before you must sign in with your password.</source>
        <translation>
            <numerusform>PIN 码错误。再错 %n 次就需要用密码登录。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="435"/>
        <source>Wrong PIN.</source>
        <translation>PIN 码错误。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="440"/>
        <source>The PIN could not be checked: the key file is damaged. See the log.</source>
        <translation>无法核对 PIN 码：密钥文件已损坏。详见日志。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="451"/>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="454"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="479"/>
        <source>Set a new PIN to unlock: sign in with your password again.</source>
        <translation>需要设置新的 PIN 码才能解锁：请再次用密码登录。</translation>
    </message>
</context>
<context>
    <name>RatesPage</name>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="122"/>
        <source>Closed rate: closed of the requests due (deadline in the period; on the spot: registered). Resolved and satisfied rates: of the requests called back in the period, what the resident said; a request closed but judged unresolved counts as unresolved. Gap: closed rate minus resolved rate.</source>
        <translation>办结率：到期诉求（办理时限在本期内；即办按登记时间）中已办结的比例。解决率、满意率：本期回访的诉求中居民的回答；已办结但居民认为未解决的，按未解决计。差：办结率减解决率。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="147"/>
        <source>That month</source>
        <translation>当月</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="148"/>
        <source>Twelve months to it</source>
        <translation>截至当月的十二个月</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="149"/>
        <source>&amp;By:</source>
        <translation>统计对象(&amp;B)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="149"/>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="156"/>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="198"/>
        <source>No department (on the spot)</source>
        <translation>无承办部门（即办）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="213"/>
        <source>Whole area</source>
        <translation>全辖区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="221"/>
        <source>Closed %1 · Resolved %2 (gap %3) · Satisfied %4</source>
        <translation>办结率 %1 · 解决率 %2（差 %3） · 满意率 %4</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="228"/>
        <source>%1 overdue · %2 sent back · %3 requests sent back twice or more · median %4 from dispatch to close</source>
        <translation>超期 %1 件 · 退单 %2 次 · 两次以上退单 %3 件 · 派单至办结中位时长 %4</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="260"/>
        <source>Closed on paper but not resolved for the residents</source>
        <translation>账面办结，居民认为未解决</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="271"/>
        <source>Export the rates</source>
        <translation>导出诉求三率</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="271"/>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>RequestsBoardPage</name>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="142"/>
        <location filename="../../gridworker/ui/review/requests_board.py" line="146"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="143"/>
        <source>Open</source>
        <translation>办理中（未办结）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="149"/>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="150"/>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="151"/>
        <location filename="../../gridworker/ui/review/requests_board.py" line="284"/>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="154"/>
        <source>Newest first</source>
        <translation>最新登记在前</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="156"/>
        <source>By deadline</source>
        <translation>按办理时限</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="157"/>
        <source>&amp;Overdue only</source>
        <translation>只看超期(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="158"/>
        <source>Sent back &amp;twice</source>
        <translation>两次以上退单(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="159"/>
        <source>Super&amp;vision list</source>
        <translation>督办清单(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="160"/>
        <source>Overdue requests and those sent back twice or more: the supervisor acts</source>
        <translation>超期和退单两次及以上的诉求：由主管督办</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="163"/>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="164"/>
        <source>&amp;Category:</source>
        <translation>类别(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="165"/>
        <source>De&amp;partment:</source>
        <translation>部门(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="166"/>
        <source>Co&amp;mmunity:</source>
        <translation>社区(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="167"/>
        <source>&amp;Grid:</source>
        <translation>网格(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="168"/>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="169"/>
        <source>To:</source>
        <translation>至：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="170"/>
        <source>O&amp;rder:</source>
        <translation>排序(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="182"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="237"/>
        <source>Show the &amp;number to call</source>
        <translation>显示联系电话(&amp;N)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/requests_board.py" line="348"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 条诉求</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/requests_board.py" line="352"/>
        <source>%n request(s) to supervise</source>
        <translation>
            <numerusform>%n 条待督办诉求</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="359"/>
        <source>No request matches these filters.</source>
        <translation>没有符合筛选条件的诉求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="398"/>
        <source>A step of this request is still waiting to be sent.</source>
        <translation>这条诉求还有一步办理等待同步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/requests_board.py" line="400"/>
        <source>This request cannot take that step in its status, or your role may not take it.</source>
        <translation>这条诉求在当前状态下不能办理这一步，或您的角色不能办理。</translation>
    </message>
</context>
<context>
    <name>ReturnedBox</name>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="57"/>
        <source>The visit of %1 (%2)</source>
        <translation>%1 的走访（%2）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="63"/>
        <source>Reason: %1</source>
        <translation>退回原因：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="71"/>
        <source>The reviewer wrote: %1</source>
        <translation>审核人意见：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="75"/>
        <source>Correct: %1</source>
        <translation>需修改：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="79"/>
        <source>Check it with the household if you need to, then correct the visit: the original is kept, and your correction goes back to the reviewer.</source>
        <translation>如有需要先与住户核实，然后修改这条走访记录：原记录会保留，修改后的记录将重新提交审核。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="105"/>
        <source>Your reviewer sent these visits back. Choose one to see why, then correct it: the fields to correct are marked in the form.</source>
        <translation>审核人退回了以下走访记录。选择一条查看原因，然后修改：需要修改的项目在表单中已标出。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="128"/>
        <source>&amp;Correct the visit…</source>
        <translation>修改走访记录(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="131"/>
        <source>Open the h&amp;ousehold</source>
        <translation>打开住户(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="155"/>
        <source>Returned for correction (%1)</source>
        <translation>退回修改（%1）</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="42"/>
        <source>Return the visit for correction</source>
        <translation>退回修改</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="43"/>
        <source>Question the visit</source>
        <translation>标为存疑</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="44"/>
        <source>Reopen the approved visit</source>
        <translation>重新打开已通过的走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="54"/>
        <source>Choose a reason…</source>
        <translation>请选择原因…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="62"/>
        <source>What the worker should correct (required for “Other”)</source>
        <translation>请写明网格员要改什么（选“其他”时必填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="63"/>
        <source>What is doubtful (optional)</source>
        <translation>哪里存疑（可不填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="64"/>
        <source>Why the approval is withdrawn (required)</source>
        <translation>为什么撤回通过（必填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="70"/>
        <location filename="../../gridworker/ui/review/dialogs.py" line="76"/>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="71"/>
        <location filename="../../gridworker/ui/review/dialogs.py" line="76"/>
        <source>&amp;Comment:</source>
        <translation>意见(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="74"/>
        <source>Fields to correct:</source>
        <translation>需要改的项：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="109"/>
        <source>A comment holds at most %1 characters.</source>
        <translation>意见最多 %1 个字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/dialogs.py" line="124"/>
        <source>The review could not be saved; nothing was changed.</source>
        <translation>审核没能保存，什么都没有改动。</translation>
    </message>
</context>
<context>
    <name>ReviewQueuePage</name>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="130"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="131"/>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="132"/>
        <location filename="../../gridworker/ui/review/queue_page.py" line="277"/>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="133"/>
        <location filename="../../gridworker/ui/review/queue_page.py" line="298"/>
        <source>All workers</source>
        <translation>全部网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="148"/>
        <source>&amp;Community:</source>
        <translation>社区(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="149"/>
        <source>&amp;Grid:</source>
        <translation>网格(&amp;G)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="150"/>
        <source>&amp;Worker:</source>
        <translation>网格员(&amp;W)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="151"/>
        <source>Fro&amp;m:</source>
        <translation>从(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="152"/>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="153"/>
        <source>O&amp;utcome:</source>
        <translation>结果(&amp;U)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="154"/>
        <source>&amp;State:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="155"/>
        <source>F&amp;lag:</source>
        <translation>标记(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="169"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="218"/>
        <source>Approve (A)</source>
        <translation>通过 (A)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="221"/>
        <source>Return… (R)</source>
        <translation>退回… (R)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="224"/>
        <source>Question… (Q)</source>
        <translation>存疑… (Q)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="227"/>
        <source>Reopen… (O)</source>
        <translation>重新打开… (O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="230"/>
        <source>Approve selected (Ctrl+Shift+A)</source>
        <translation>批量通过所选 (Ctrl+Shift+A)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/queue_page.py" line="381"/>
        <source>%n visit(s)</source>
        <translation>
            <numerusform>共 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="512"/>
        <source>None of the selected visits can be approved now.</source>
        <translation>所选走访中没有现在可以通过的。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_page.py" line="517"/>
        <source>Approve the selection</source>
        <translation>批量通过</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/queue_page.py" line="518"/>
        <source>Approve %n visit(s)?</source>
        <translation>
            <numerusform>通过这 %n 条走访？</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="90"/>
        <source>Gridworker review — %1</source>
        <translation>网格通审核 — %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="90"/>
        <source>Gridworker review</source>
        <translation>网格通审核</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="112"/>
        <source>Review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="113"/>
        <source>Back-checks</source>
        <translation>电话回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="114"/>
        <source>Requests</source>
        <translation>诉求看板</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="115"/>
        <source>Request rates</source>
        <translation>诉求三率</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="116"/>
        <source>Coverage</source>
        <translation>覆盖统计</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="117"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="118"/>
        <source>Policy guide</source>
        <translation>政策指南</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="119"/>
        <source>Unsent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="120"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="121"/>
        <source>Access trail</source>
        <translation>访问记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="177"/>
        <source>Offline: reviews are kept on this laptop</source>
        <translation>离线：审核记录保存在本机</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="189"/>
        <source>Sign &amp;in again…</source>
        <translation>重新登录(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="200"/>
        <source>Sign in again to sync. Your reviews are kept on this laptop and go out once you are signed in.</source>
        <translation>请重新登录以同步。您的审核记录都保存在本机，登录后就会发出。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="203"/>
        <source>This version of Gridworker is too old to sync with the server. Install the update; your reviews are kept on this laptop and are sent after the update.</source>
        <translation>此版本过旧，无法与服务器同步。请安装更新；您的审核记录都保存在本机，更新后发出。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="206"/>
        <source>Sync has stopped: %1</source>
        <translation>同步已停止：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="293"/>
        <source>Unsent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="297"/>
        <source>Gridworker</source>
        <translation>网格通</translation>
    </message>
</context>
<context>
    <name>SetPinDialog</name>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="119"/>
        <source>Set a new PIN</source>
        <translation>设置新的 PIN 码</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="119"/>
        <source>Set your PIN</source>
        <translation>设置您的 PIN 码</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="124"/>
        <source>You signed in with your password. Choose a new PIN for this laptop.</source>
        <translation>您已用密码登录。请为这台电脑设置新的 PIN 码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="127"/>
        <source>The residents&apos; data on this laptop is locked with a PIN that only you know. You type it when Gridworker starts and after it locked itself. Use {min} or more digits or letters.</source>
        <translation>本机上的居民信息用只有您知道的 PIN 码加密保护。每次启动网格通、以及网格通自动锁定后，都需要输入它。请使用至少 {min} 位数字或字母。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="136"/>
        <source>&amp;PIN</source>
        <translation>PIN 码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="137"/>
        <source>&amp;Repeat it</source>
        <translation>再输一次(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="139"/>
        <source>Re&amp;member my PIN until this laptop restarts</source>
        <translation>在电脑重启前记住 PIN 码(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="147"/>
        <source>Encrypting the data on this laptop… A large database takes a minute. Keep the laptop on; if it goes off, nothing is lost.</source>
        <translation>正在加密本机上的数据…数据多时约需一分钟。请保持电脑开机；即使意外关机，数据也不会丢失。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="151"/>
        <source>Setting the PIN…</source>
        <translation>正在设置 PIN 码…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="161"/>
        <source>Set &amp;PIN</source>
        <translation>设置 PIN 码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="181"/>
        <source>The two PINs are not the same. Type the PIN again.</source>
        <translation>两次输入的 PIN 码不一致，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="212"/>
        <source>The PIN could not be set; nothing was changed. Details were written to the log.</source>
        <translation>PIN 码未能设置，没有做任何更改。详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="397"/>
        <source>Small</source>
        <translation>小</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="398"/>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="399"/>
        <source>Large</source>
        <translation>大</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="400"/>
        <source>Larger</source>
        <translation>较大</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="401"/>
        <source>Largest</source>
        <translation>特大</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="291"/>
        <source>Text &amp;size</source>
        <translation>字号(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="292"/>
        <source>Preview:</source>
        <translation>效果预览：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="303"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="304"/>
        <source>Loc&amp;k after</source>
        <translation>自动锁定(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="310"/>
        <source>&amp;Open folder</source>
        <translation>打开文件夹(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="312"/>
        <source>&amp;Copy path</source>
        <translation>复制路径(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="320"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="323"/>
        <source>Your database</source>
        <translation>您的数据库</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="326"/>
        <source>Backups before upgrades</source>
        <translation>升级前的备份</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="331"/>
        <source>Sign o&amp;ut…</source>
        <translation>退出登录(&amp;U)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="337"/>
        <source>Signed in as</source>
        <translation>当前用户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="338"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="339"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="342"/>
        <source>Each worker on a shared laptop has a separate database file. The file is written safely (every save survives a power cut); do not copy it while the app is open.</source>
        <translation>多人共用一台电脑时，每位网格员都有各自的数据库文件。文件采用安全方式写入（每次保存的内容在突然断电后也不会丢失）；程序打开时请勿复制该文件。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="365"/>
        <source>minutes without use</source>
        <translation>分钟无操作后</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="366"/>
        <source>Lock no&amp;w</source>
        <translation>立即锁定(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="463"/>
        <location filename="../../gridworker/ui/other_pages.py" line="475"/>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/other_pages.py" line="464"/>
        <source>%n change(s) have not been sent yet.</source>
        <translation>
            <numerusform>还有 %n 项更改尚未发送。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="471"/>
        <source>They stay on this laptop and are sent the next time you sign in on it. Nothing is deleted. Sign out anyway?</source>
        <translation>这些更改会保留在本机，下次在本机登录后自动发送，不会删除任何数据。仍要退出登录吗？</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="55"/>
        <source>The user name or password is wrong.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="57"/>
        <source>The server did not accept this sign-in.</source>
        <translation>服务器未接受此次登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="60"/>
        <source>Too many failed attempts. Wait a while, then try again.</source>
        <translation>登录失败次数过多，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="62"/>
        <source>The server is busy. Try again in a moment.</source>
        <translation>服务器繁忙，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="64"/>
        <source>Cannot reach the server at %1. Check the address, and that this laptop is connected to the network.</source>
        <translation>无法连接服务器 %1。请检查地址是否正确，以及本机是否已连接网络。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="70"/>
        <source>%1 is not a Gridworker server. On a public or hotel Wi-Fi, open a web page first and sign in to the network, then try again.</source>
        <translation>%1 不是网格员工作台的服务器。如果使用的是公共或酒店 Wi-Fi，请先打开任意网页完成上网登录，然后再试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="77"/>
        <source>This version of Gridworker cannot sign in to this server. Install the update first.</source>
        <translation>当前版本无法登录此服务器，请先更新软件。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="81"/>
        <source>Signing in is not possible here.</source>
        <translation>无法在此登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="83"/>
        <source>The server could not sign you in. Try again later.</source>
        <translation>服务器暂时无法完成登录，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="86"/>
        <source>Something went wrong; nothing was lost. Details were written to the log.</source>
        <translation>出现了问题，但没有丢失任何数据。详细信息已写入日志。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="114"/>
        <location filename="../../gridworker/ui/sign_in.py" line="116"/>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="114"/>
        <source>Sign in to Gridworker</source>
        <translation>登录网格员工作台</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="116"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="120"/>
        <source>The server asks you to sign in again. Everything you recorded is still on this laptop; what is unsent goes out as soon as you are signed in.</source>
        <translation>服务器要求您重新登录。您记录的内容都还在本机，登录后未发送的更改会立即发送。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="125"/>
        <source>Sign in with the account your office gave you. You sign in once on this laptop: after that Gridworker opens straight away, works without a network and syncs whenever it can.</source>
        <translation>请使用单位分配给您的账号登录。在本机只需登录一次：之后打开即可使用，没有网络也能工作，有网络时自动同步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="143"/>
        <source>&amp;Server address</source>
        <translation>服务器地址(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="144"/>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="145"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="150"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="158"/>
        <source>Sign &amp;in</source>
        <translation>登录(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="183"/>
        <source>Enter the server address, your user name and your password.</source>
        <translation>请填写服务器地址、用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sign_in.py" line="231"/>
        <source>Set your own password to finish signing in: Gridworker cannot sync until then.</source>
        <translation>请设置您自己的密码以完成登录；设置之前无法同步。</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="504"/>
        <source>S&amp;ync now</source>
        <translation>立即同步(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="506"/>
        <source>Send what is unsent and fetch what changed (F5)</source>
        <translation>发送未发送的更改，并获取最新数据（F5）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="508"/>
        <source>Sign in again…</source>
        <translation>重新登录…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="526"/>
        <source>Last successful sync: %1</source>
        <translation>上次成功同步：%1</translation>
    </message>
</context>
<context>
    <name>TaskManager</name>
    <message>
        <location filename="../../gridworker/ui/tasks.py" line="229"/>
        <source>Something went wrong; nothing was lost. Details were written to the log.</source>
        <translation>程序出现错误，但没有丢失任何数据。详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="189"/>
        <source>Households visited this month (户户到)</source>
        <translation>本月走访户数（户户到）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="190"/>
        <source>Residents seen this month (人人见)</source>
        <translation>本月见面人数（人人见）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="199"/>
        <source>&amp;Resume</source>
        <translation>继续填写(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="216"/>
        <source>No household is due today. Well done.</source>
        <translation>今日没有需要走访的住户，辛苦了！</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="262"/>
        <source>Today: %1 overdue, %2 due</source>
        <translation>今日：逾期 %1 户，今日应访 %2 户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="272"/>
        <source>%1 of %2 (%3)</source>
        <translation>%1 / %2（%3）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/pages.py" line="282"/>
        <source>You have %n unfinished visit(s), kept as you typed. Resume to finish or discard.</source>
        <translation>
            <numerusform>您有 %n 条未完成的走访记录，已按填写内容保存。请点击“继续填写”完成或放弃。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pages.py" line="293"/>
        <source>Resume opens the visit to %1.</source>
        <translation>点“继续填写”将打开：%1 的走访记录。</translation>
    </message>
</context>
<context>
    <name>TrailPage</name>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="47"/>
        <source>Revealed</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="48"/>
        <source>Exported</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="49"/>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="52"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="53"/>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="55"/>
        <source>%1 row(s)</source>
        <translation>%1 条</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="57"/>
        <source>grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="58"/>
        <source>work station</source>
        <translation>社区工作站</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="59"/>
        <source>supervisor</source>
        <translation>督导</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="60"/>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="61"/>
        <source>department</source>
        <translation>职能部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="85"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="86"/>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="87"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="88"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="89"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
</context>
<context>
    <name>TrailPageWidget</name>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="139"/>
        <source>Access trail</source>
        <translation>访问记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="143"/>
        <source>Who saw a resident&apos;s ID number or phone in full, and who exported or printed residents&apos; data, in your area. Read from the server.</source>
        <translation>本辖区内谁查看过居民的完整身份证号或电话，谁导出或打印过居民信息。记录从服务器读取。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="167"/>
        <source>&amp;More</source>
        <translation>更多(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="182"/>
        <source>Username (all users when empty)</source>
        <translation>用户名（留空为全部用户）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="187"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="191"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="194"/>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="196"/>
        <source>Ac&amp;tion</source>
        <translation>操作(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="239"/>
        <source>Reading the access trail from the server…</source>
        <translation>正在从服务器读取访问记录…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="260"/>
        <source>Nothing on the trail for this choice.</source>
        <translation>没有符合条件的访问记录。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/trail_page.py" line="262"/>
        <source>The newest %n event(s); More reads older ones.</source>
        <translation>
            <numerusform>最新 %n 条记录；点“更多”查看更早的记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/trail_page.py" line="264"/>
        <source>%n event(s), newest first.</source>
        <translation>
            <numerusform>共 %n 条记录，最新的在前。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="275"/>
        <source>The access trail is kept on the server, and the server cannot be reached now. Connect to the network and press Refresh.</source>
        <translation>访问记录保存在服务器上，目前无法连接服务器。请连接网络后点“刷新”。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/trail_page.py" line="282"/>
        <source>The access trail could not be read. Details were written to the log.</source>
        <translation>无法读取访问记录，详细信息已写入日志。</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="511"/>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="513"/>
        <source>Unlock Gridworker</source>
        <translation>解锁网格通</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="517"/>
        <source>Re&amp;member my PIN until this laptop restarts</source>
        <translation>在电脑重启前记住 PIN 码(&amp;M)</translation>
    </message>
</context>
<context>
    <name>UnsentPage</name>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="73"/>
        <source>The server did not take these changes as they are. Each stays on this laptop until you acknowledge it, and its record is never deleted. Choose one to see what was sent, what the server kept and what to do.</source>
        <translation>服务器没有按原样接受这些更改。每一项都保留在本机，直到您确认已阅；记录不会被删除。选中一项，可查看您发送的内容、服务器保留的内容以及如何处理。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="119"/>
        <source>Open the &amp;household</source>
        <translation>打开住户(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="122"/>
        <source>&amp;Redo the change…</source>
        <translation>重新修改(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="125"/>
        <source>&amp;Acknowledge</source>
        <translation>已阅(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="127"/>
        <source>I have read this; it no longer needs my attention (its record is kept).</source>
        <translation>我已看过，此项不再需要处理（记录仍会保留）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="153"/>
        <source>For support: change no. %1, %2, code %3</source>
        <translation>供技术支持参考：更改编号 %1，%2，代码 %3</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="195"/>
        <source>Needs your attention (%1)</source>
        <translation>需要处理（%1）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="196"/>
        <source>Waiting to be sent (%1)</source>
        <translation>待发送（%1）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="200"/>
        <source>Everything you recorded has been sent.</source>
        <translation>所有记录均已发送。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/other_pages.py" line="206"/>
        <source>%n change(s) kept safely on this laptop, waiting to be sent to the server. Nothing here is lost if the laptop is switched off.</source>
        <translation>
            <numerusform>有 %n 项更改已安全保存在本机，等待发送到服务器。即使电脑关机，这些内容也不会丢失。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/other_pages.py" line="215"/>
        <source>%n change(s) need your attention: the server set them aside; choose one below.</source>
        <translation>
            <numerusform>有 %n 项更改需要您处理：服务器未按原样接受，请在下方选中查看。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="229"/>
        <source>(no longer on this laptop)</source>
        <extracomment>the changes the worker can make again from a form: the household&apos;s own facts and its members</extracomment>
        <translation>（已不在本机）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="230"/>
        <source>You sent: %1</source>
        <translation>您发送的：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="231"/>
        <source>The server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="232"/>
        <source>What to do: %1</source>
        <translation>如何处理：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="234"/>
        <source>Field</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="235"/>
        <source>Kept (yours)</source>
        <translation>已保留（您的）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/other_pages.py" line="236"/>
        <source>Other value (for review)</source>
        <translation>另一值（留待核查）</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="91"/>
        <source>Correct visit</source>
        <translation>更正走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="91"/>
        <source>Record visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="117"/>
        <source>Correcting the visit of %1. The original is kept; this correction points at it.</source>
        <translation>正在更正 %1 的走访记录。原记录会保留，本次更正将与原记录关联。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="210"/>
        <source>&amp;1 Met</source>
        <translation>见面(&amp;1)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="211"/>
        <source>&amp;2 Not at home</source>
        <translation>不在家(&amp;2)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="212"/>
        <source>&amp;3 Refused</source>
        <translation>拒访(&amp;3)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="221"/>
        <source>Outcome</source>
        <translation>走访结果</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="245"/>
        <source>&amp;Everyone</source>
        <translation>全部见到(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="250"/>
        <source>Members seen</source>
        <translation>见到的成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="137"/>
        <source>What happened, what the household said</source>
        <translation>走访情况、住户反映的问题</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="145"/>
        <source>&amp;Notes</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="261"/>
        <source>Policy guide</source>
        <translation>政策指南</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="267"/>
        <source>Policy guide: tick what you explained or handed out</source>
        <translation>政策指南：勾选本次讲解或发放的文章</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="40"/>
        <source>New requests (the visit&apos;s original requests stay as they are)</source>
        <translation>新增诉求（原走访的诉求保持不变）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="42"/>
        <source>Requests raised</source>
        <translation>反映的诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="48"/>
        <source>— category —</source>
        <translation>— 选择类别 —</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="58"/>
        <source>Describe the request (Enter adds it)</source>
        <translation>填写诉求内容（按回车键添加）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="61"/>
        <source>&amp;Add request</source>
        <translation>添加诉求(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="118"/>
        <source>Correcting the visit of %1.</source>
        <translation>正在更正 %1 的走访记录（原记录保留）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="123"/>
        <source>The reviewer wrote: %1</source>
        <translation>审核人意见：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_parts.py" line="148"/>
        <source>The reviewer asks you to correct this. %1</source>
        <translation>审核人要求修改此项。%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="161"/>
        <source>&amp;Time of visit</source>
        <translation>走访时间(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="169"/>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="330"/>
        <source>Restored the unfinished visit you were recording at %1.</source>
        <translation>已恢复您在 %1 未填写完的走访记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="451"/>
        <source>&amp;Guide articles: explained %1, handed out %2</source>
        <translation>讲解 %1 篇，发放 %2 篇(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="454"/>
        <source>&amp;Guide articles explained or handed out…</source>
        <translation>选择讲解或发放的文章(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="589"/>
        <source>Discard this visit?</source>
        <translation>放弃本次走访记录？</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/visit_dialog.py" line="590"/>
        <source>The visit has not been saved. Discard what you entered?</source>
        <translation>本次走访尚未保存。确定放弃已填写的内容吗？</translation>
    </message>
</context>
<context>
    <name>WorkOrdersModel</name>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="82"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="82"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="82"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="82"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>WorkOrdersPage</name>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="244"/>
        <source>&amp;Sign for it</source>
        <translation>签收(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="245"/>
        <source>&amp;Progress note…</source>
        <translation>处置说明(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="246"/>
        <source>&amp;Close as done…</source>
        <translation>办结(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="247"/>
        <source>Send &amp;back…</source>
        <translation>退单(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="266"/>
        <source>No open work order. Sync to fetch new ones.</source>
        <translation>没有待办工单。同步后可获取新工单。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="289"/>
        <source>Open work orders: %1, overdue: %2</source>
        <translation>待办工单 %1 件，超期 %2 件</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="314"/>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="316"/>
        <source>Contact: %1</source>
        <translation>联系人：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="320"/>
        <source>Dispatched %1</source>
        <translation>派单时间 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="327"/>
        <source>Sent back %1 time(s), reopened %2 time(s)</source>
        <translation>已退单 %1 次，重办 %2 次</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="333"/>
        <source>%1: waiting to sync</source>
        <translation>%1：等待同步</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="357"/>
        <source>Close as done</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="357"/>
        <source>What was done:</source>
        <translation>办理结果：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="359"/>
        <source>Progress note</source>
        <translation>处置说明</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_orders.py" line="359"/>
        <source>What has been done so far:</source>
        <translation>目前的处置情况：</translation>
    </message>
</context>
<context>
    <name>WorkOrdersWindow</name>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="37"/>
        <source>Gridworker work orders — %1</source>
        <translation>网格通工单 — %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="37"/>
        <source>Gridworker work orders</source>
        <translation>网格通工单</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="51"/>
        <source>Work orders</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="52"/>
        <source>Unsent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="53"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="134"/>
        <source>Unsent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/work_order_window.py" line="138"/>
        <source>Gridworker</source>
        <translation>网格通</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../gridworker/app.py" line="339"/>
        <source>The demo needs the Gridworker server, which this installation does not include. Install it with: {command}</source>
        <translation>演示需要 Gridworker 服务端，本次安装未包含。请用以下命令安装：{command}</translation>
    </message>
    <message>
        <location filename="../../gridworker/app.py" line="380"/>
        <source>Preparing the demo city…</source>
        <translation>正在生成演示数据……</translation>
    </message>
    <message>
        <location filename="../../gridworker/app.py" line="480"/>
        <source>Demo PIN: {pin}</source>
        <translation>演示 PIN 码：{pin}</translation>
    </message>
    <message>
        <location filename="../../gridworker/app.py" line="350"/>
        <source>No Chinese font is installed, so Chinese text would show as boxes. Install one (for example fonts-wqy-microhei or Noto Sans CJK) and start Gridworker again.</source>
        <translation>未安装中文字体，中文将显示为方框。请安装中文字体（例如 fonts-wqy-microhei 或 Noto Sans CJK）后重新启动 Gridworker。

No Chinese font is installed, so Chinese text would show as boxes. Install one (for example fonts-wqy-microhei or Noto Sans CJK) and start Gridworker again.</translation>
    </message>
</context>
<context>
    <name>changes</name>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="17"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="18"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="19"/>
        <source>Care tags</source>
        <translation>关怀标签</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="20"/>
        <source>Visit every (days)</source>
        <translation>走访周期（天）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="21"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="22"/>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="23"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="24"/>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="25"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="37"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="78"/>
        <source>Requests: %1</source>
        <translation>诉求 %1 条</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="96"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="117"/>
        <source>Someone else changed the same thing. The server kept your value; the other one is kept for review.</source>
        <translation>他人也修改了同一内容。服务器已保留您的值，另一值留待核查。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="127"/>
        <source>Check the household with the resident: if the other value is right, open the household and enter it again. Then acknowledge this item.</source>
        <translation>请与住户核实：如果另一值才是对的，请打开住户重新填写。然后点“已阅”。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="133"/>
        <source>The household is no longer in your list, so the change cannot be made again. Ask your supervisor if it should still apply, then acknowledge this item.</source>
        <translation>该户已不在您的名单中，无法再次修改。如仍需办理，请询问主管，然后点“已阅”。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/changes.py" line="138"/>
        <source>Open the household and record the change again if it still applies, or ask your supervisor. Then acknowledge this item.</source>
        <translation>如仍需要，请打开住户重新修改，或询问主管。然后点“已阅”。</translation>
    </message>
</context>
<context>
    <name>codes</name>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="32"/>
        <source>Elderly living alone</source>
        <translation>独居老人</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="33"/>
        <source>Extreme hardship</source>
        <translation>特困供养</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="34"/>
        <source>Empty-nest elderly</source>
        <translation>空巢老人</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="35"/>
        <source>Minimum subsistence</source>
        <translation>低保</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="36"/>
        <source>Disabled</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="37"/>
        <source>Left-behind child</source>
        <translation>留守儿童</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="38"/>
        <source>Serious illness</source>
        <translation>重病</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="39"/>
        <source>Veteran</source>
        <translation>退役军人</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="40"/>
        <source>Rented home</source>
        <translation>出租户</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="45"/>
        <source>Met</source>
        <translation>见面</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="46"/>
        <source>Not at home</source>
        <translation>不在家</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="47"/>
        <source>Refused</source>
        <translation>拒访</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="52"/>
        <source>Illegal construction</source>
        <translation>违法建设</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="53"/>
        <source>Fire lane blocked</source>
        <translation>消防通道堵塞</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="54"/>
        <source>Disorderly parking</source>
        <translation>车辆乱停放</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="55"/>
        <source>Flying-wire e-bike charging</source>
        <translation>飞线充电</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="56"/>
        <source>Dumped rubbish</source>
        <translation>乱倒垃圾</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="57"/>
        <source>Policy question</source>
        <translation>政策咨询</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="58"/>
        <source>Help with an errand</source>
        <translation>帮办代办</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="59"/>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="102"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="70"/>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="71"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="72"/>
        <source>Critical (same day)</source>
        <translation>特急（当天）</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="77"/>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="78"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="79"/>
        <source>Assigned</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="80"/>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="81"/>
        <source>Resolved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="82"/>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="84"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="85"/>
        <source>Signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="86"/>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="87"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="88"/>
        <source>Rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="89"/>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="94"/>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="95"/>
        <source>Spouse</source>
        <translation>配偶</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="96"/>
        <source>Child</source>
        <translation>子女</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="97"/>
        <source>Parent</source>
        <translation>父母</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="98"/>
        <source>Grandchild</source>
        <translation>孙子女</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="99"/>
        <source>Grandparent</source>
        <translation>祖父母</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="100"/>
        <source>Sibling</source>
        <translation>兄弟姐妹</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="101"/>
        <source>Tenant</source>
        <translation>租户</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="107"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/codes.py" line="108"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="143"/>
        <source>Urban management</source>
        <translation>城管执法</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="144"/>
        <source>Housing and construction</source>
        <translation>住建</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="145"/>
        <source>Fire and rescue</source>
        <translation>消防救援</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="146"/>
        <source>Police station</source>
        <translation>公安派出所</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="147"/>
        <source>Property management company</source>
        <translation>物业服务企业</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="148"/>
        <source>Market regulation</source>
        <translation>市场监管</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="149"/>
        <source>Civil affairs</source>
        <translation>民政</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="150"/>
        <source>Power supply</source>
        <translation>供电</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/request_flow.py" line="151"/>
        <source>The community itself</source>
        <translation>社区</translation>
    </message>
</context>
<context>
    <name>exports</name>
    <message>
        <location filename="../../gridworker/exports/writers.py" line="46"/>
        <source>The disk is full: the export was not saved. Free some space and try again.</source>
        <translation>磁盘已满，导出未保存。请腾出空间后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/exports/writers.py" line="49"/>
        <source>The file {path} cannot be written (no permission, a read-only folder, or the file is open in another program). Choose another folder or close the file, and try again.</source>
        <translation>无法写入文件 {path}（没有权限、文件夹只读，或该文件正在其他程序中打开）。请选择其他文件夹或关闭该文件后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/exports/writers.py" line="54"/>
        <source>The folder {path} does not exist. Choose another one.</source>
        <translation>文件夹 {path} 不存在，请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../../gridworker/exports/writers.py" line="55"/>
        <source>The export could not be written to {path}: {error}</source>
        <translation>导出无法写入 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../gridworker/exports/writers.py" line="56"/>
        <source>Choose a file format: xlsx or csv.</source>
        <translation>请选择文件格式：xlsx 或 csv。</translation>
    </message>
</context>
<context>
    <name>flags</name>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="35"/>
        <source>The visit form was open for less than {min_form_seconds} seconds.</source>
        <translation>走访表单填写用时不足 {min_form_seconds} 秒。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="36"/>
        <source>The worker recorded {rapid_households} or more households in different buildings within {rapid_minutes} minutes.</source>
        <translation>网格员在 {rapid_minutes} 分钟内登记了不同楼栋的 {rapid_households} 户或更多。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="41"/>
        <source>Recorded more than {late_entry_hours} hours after the time it claims.</source>
        <translation>登记时间比所填走访时间晚 {late_entry_hours} 小时以上。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="42"/>
        <source>Visited outside {day_start_hour}:00–{day_end_hour}:00 (local time of the visit).</source>
        <translation>走访时间不在 {day_start_hour}:00–{day_end_hour}:00 之间（走访当地时间）。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="45"/>
        <source>The notes are identical to those of another household&apos;s visit within {same_notes_days} days.</source>
        <translation>备注与 {same_notes_days} 天内另一户的走访备注完全相同。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="48"/>
        <source>Not at home {not_home_streak} times running: the household needs another way to reach it.</source>
        <translation>连续 {not_home_streak} 次不在家：需要换一种方式联系这户。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/review_flags.py" line="51"/>
        <source>A care-tag household not visited for more than {care_interval_days} days.</source>
        <translation>重点关爱户超过 {care_interval_days} 天未走访。</translation>
    </message>
</context>
<context>
    <name>guide</name>
    <message>
        <location filename="../../gridworker/guide/__init__.py" line="27"/>
        <source>Welfare policies</source>
        <translation>惠民政策</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/__init__.py" line="28"/>
        <source>How to get things done</source>
        <translation>办事流程</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/__init__.py" line="29"/>
        <source>Service phone numbers</source>
        <translation>服务电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/__init__.py" line="30"/>
        <source>Grid tips</source>
        <translation>网格小常识</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_results.py" line="40"/>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_results.py" line="40"/>
        <source>New</source>
        <translation>新</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/guide_results.py" line="71"/>
        <source>Version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/article_picker.py" line="41"/>
        <source>Article</source>
        <translation>文章</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/article_picker.py" line="42"/>
        <source>Explained</source>
        <translation>讲解</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/article_picker.py" line="43"/>
        <source>Handed out</source>
        <translation>发放</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/article_picker.py" line="87"/>
        <source>(withdrawn)</source>
        <translation>（已撤回）</translation>
    </message>
</context>
<context>
    <name>handout</name>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="67"/>
        <source>In force from %1</source>
        <translation>自 %1 起施行</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="69"/>
        <source>In force %1 to %2</source>
        <translation>有效期 %1 至 %2</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="162"/>
        <source>Version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="181"/>
        <source>Phone numbers</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="322"/>
        <source>Choose at least one article to print.</source>
        <translation>请至少选择一篇要打印的文章。</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="326"/>
        <source>No Chinese font is installed, so the handout would print empty boxes. Install a Chinese font (for example Noto Sans CJK SC or WenQuanYi Micro Hei) and try again.</source>
        <translation>未安装中文字体，宣传页上的中文会打印成空白方框。请安装中文字体（例如 Noto Sans CJK SC 或文泉驿微米黑）后重试。

No Chinese font is installed, so the handout would print empty boxes. Install a Chinese font (for example Noto Sans CJK SC or WenQuanYi Micro Hei) and try again.</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="352"/>
        <source>The printer could not be started. Check it is connected, then try again.</source>
        <translation>无法启动打印机。请检查打印机是否已连接，然后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="362"/>
        <source>The printer stopped before the last page.</source>
        <translation>打印机在最后一页之前停止了打印。</translation>
    </message>
    <message>
        <location filename="../../gridworker/guide/handout.py" line="392"/>
        <source>Page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="22"/>
        <source>Not sent</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="23"/>
        <source>Synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="24"/>
        <source>Rejected</source>
        <translation>被退回</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="25"/>
        <source>Conflict</source>
        <translation>有冲突</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="29"/>
        <source>Visit recorded</source>
        <translation>新增走访记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="30"/>
        <source>Visit corrected</source>
        <translation>更正走访记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="31"/>
        <source>Household edited</source>
        <translation>修改住户信息</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="32"/>
        <source>Member added</source>
        <translation>新增成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="33"/>
        <source>Member edited</source>
        <translation>修改成员信息</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="34"/>
        <source>Member moved out</source>
        <translation>成员迁出</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="35"/>
        <source>Contact card given</source>
        <translation>发放便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="36"/>
        <source>My contact card changed</source>
        <translation>修改我的便民联系卡</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="37"/>
        <source>Visit reviewed</source>
        <translation>审核走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="38"/>
        <source>Back-check result</source>
        <translation>回访结果</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="39"/>
        <source>Personal data seen or exported</source>
        <translation>查看或导出个人信息</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="85"/>
        <source>%1 yrs</source>
        <translation>%1岁</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="115"/>
        <source>Not met yet</source>
        <translation>尚未见面</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="118"/>
        <source>%n day(s) overdue</source>
        <translation>逾期 %n 天</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="120"/>
        <source>Due today</source>
        <translation>今日应访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="121"/>
        <source>Due in %n day(s)</source>
        <translation>%n 天后应访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="141"/>
        <source>Building %1</source>
        <translation>%1栋</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="143"/>
        <source>Unit %1</source>
        <translation>%1单元</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/labels.py" line="145"/>
        <source>Room %1</source>
        <translation>%1室</translation>
    </message>
</context>
<context>
    <name>models</name>
    <message>
        <location filename="../../gridworker/ui/models.py" line="104"/>
        <location filename="../../gridworker/ui/models.py" line="353"/>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="105"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="106"/>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="107"/>
        <location filename="../../gridworker/ui/models.py" line="228"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="108"/>
        <source>Care tags</source>
        <translation>关爱标签</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="109"/>
        <source>Last met</source>
        <translation>上次见面</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="110"/>
        <location filename="../../gridworker/ui/models.py" line="230"/>
        <location filename="../../gridworker/ui/models.py" line="293"/>
        <location filename="../../gridworker/ui/models.py" line="354"/>
        <location filename="../../gridworker/ui/models.py" line="464"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="225"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="226"/>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="227"/>
        <source>Sex, age</source>
        <translation>性别、年龄</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="229"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="273"/>
        <source>Explained: %1</source>
        <translation>已讲解：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="274"/>
        <source>Handed out: %1</source>
        <translation>已发放：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="286"/>
        <location filename="../../gridworker/ui/returned.py" line="28"/>
        <source>When</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="287"/>
        <source>Outcome</source>
        <translation>走访结果</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="288"/>
        <source>Review</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="289"/>
        <source>Seen</source>
        <translation>见到的成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="290"/>
        <source>Policy guide</source>
        <translation>政策指南</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="291"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="292"/>
        <source>Requests</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="301"/>
        <source>(correction)</source>
        <translation>（更正）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="306"/>
        <source>(corrected later)</source>
        <translation>（已被更正）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="349"/>
        <location filename="../../gridworker/ui/models.py" line="377"/>
        <source>Category</source>
        <translation>诉求类别</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="350"/>
        <location filename="../../gridworker/ui/models.py" line="379"/>
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="351"/>
        <location filename="../../gridworker/ui/models.py" line="378"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="352"/>
        <source>Status</source>
        <translation>办理状态</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="410"/>
        <source>Member %1</source>
        <translation>成员 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="412"/>
        <source>Phone of %2: %1</source>
        <translation>%2的电话：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="414"/>
        <source>Phone %1</source>
        <translation>电话 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="416"/>
        <source>ID number of %2: %1</source>
        <translation>%2的身份证号：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="426"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="427"/>
        <source>Change</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="428"/>
        <location filename="../../gridworker/ui/returned.py" line="29"/>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="429"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="430"/>
        <source>State</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="431"/>
        <location filename="../../gridworker/ui/returned.py" line="30"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="440"/>
        <source>(no longer on this laptop)</source>
        <translation>（已不在本机）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="461"/>
        <source>Given</source>
        <translation>发放时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="462"/>
        <source>Whose card</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="463"/>
        <source>Printed as</source>
        <translation>打印方式</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="467"/>
        <source>Single card</source>
        <translation>单张卡片</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="468"/>
        <source>A4 sheet</source>
        <translation>A4 整版</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="469"/>
        <source>A3 poster</source>
        <translation>A3 海报</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/models.py" line="478"/>
        <source>%1, reprint</source>
        <translation>%1，补发</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/returned.py" line="31"/>
        <source>Reviewer&apos;s comment</source>
        <translation>审核意见</translation>
    </message>
</context>
<context>
    <name>pin</name>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="44"/>
        <source>A PIN has {min} to {max} characters.</source>
        <translation>PIN 码须为 {min} 到 {max} 位。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="48"/>
        <source>This PIN is too easy to guess (one digit repeated, or digits in a row). Choose another.</source>
        <translation>这个 PIN 码太容易被猜到（同一数字重复，或连续数字）。请换一个。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="51"/>
        <source>This PIN cannot be used. Choose another.</source>
        <translation>这个 PIN 码不能使用，请换一个。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/pin_dialogs.py" line="56"/>
        <source>You can try a PIN again in {time}.</source>
        <translation>{time} 后可以再试 PIN 码。</translation>
    </message>
</context>
<context>
    <name>rates</name>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="42"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="43"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="44"/>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="45"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="46"/>
        <source>Department</source>
        <translation>承办部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="49"/>
        <source>Area</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="50"/>
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="51"/>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="52"/>
        <source>Closed rate</source>
        <translation>办结率</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="53"/>
        <source>Resolved rate</source>
        <translation>解决率</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="54"/>
        <source>Gap (points)</source>
        <translation>办结率−解决率</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="55"/>
        <source>Satisfied rate</source>
        <translation>满意率</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="56"/>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="57"/>
        <source>Sent back</source>
        <translation>退单次数</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="58"/>
        <source>Sent back twice</source>
        <translation>两次以上退单</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="59"/>
        <source>Median to close</source>
        <translation>派单至办结中位时长</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="74"/>
        <source>%1 points</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="82"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_rates_page.py" line="83"/>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
</context>
<context>
    <name>requests</name>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="98"/>
        <source>Call-back: %1, done %2</source>
        <translation>回访：%1，%2 办结</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="113"/>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="183"/>
        <source>Resolved?</source>
        <translation>问题解决了吗？</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="116"/>
        <source>Y Yes</source>
        <translation>Y 是</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="116"/>
        <source>N No</source>
        <translation>N 否</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="123"/>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="197"/>
        <source>Satisfied?</source>
        <translation>满意吗？</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="128"/>
        <source>0 Couldn&apos;t ask</source>
        <translation>0 未能回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="268"/>
        <source>(%1 requests)</source>
        <translation>（%1 件诉求）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="273"/>
        <source>&amp;Call-backs due: %1 (ask the resident on the visit)</source>
        <translation>待回访(&amp;C)：%1 户（走访时请询问居民）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="24"/>
        <location filename="../../gridworker/ui/request_history.py" line="34"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="31"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="41"/>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="25"/>
        <location filename="../../gridworker/ui/request_history.py" line="35"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="32"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="42"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="26"/>
        <location filename="../../gridworker/ui/request_history.py" line="38"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="33"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="45"/>
        <location filename="../../gridworker/ui/review/requests_board.py" line="214"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="27"/>
        <source>Signed for, in hand</source>
        <translation>已签收，处置中</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="28"/>
        <source>Done, awaiting call-back</source>
        <translation>已办结，待回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="29"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="36"/>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="30"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="37"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="44"/>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="31"/>
        <location filename="../../gridworker/ui/request_history.py" line="47"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="38"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="54"/>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="36"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="43"/>
        <source>Resolved on the spot</source>
        <translation>即办</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="37"/>
        <source>Merged into an earlier request</source>
        <translation>合并到之前的诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="39"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="34"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="46"/>
        <source>Signed for</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="40"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="47"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="108"/>
        <source>Sent back</source>
        <translation>退单</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="41"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="48"/>
        <source>Progress</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="42"/>
        <source>Done</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="43"/>
        <source>Call-back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="44"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="51"/>
        <source>Call-back not reached</source>
        <translation>回访未接通</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="45"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="52"/>
        <source>Deadline extended</source>
        <translation>延期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="46"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="53"/>
        <source>Reassigned</source>
        <translation>改派</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="50"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="57"/>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="51"/>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="52"/>
        <source>Not satisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="55"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="62"/>
        <source>Not this department&apos;s</source>
        <translation>不属本部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="56"/>
        <source>Outside this department&apos;s area</source>
        <translation>不在本辖区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="93"/>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="95"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="97"/>
        <source>overdue by %1</source>
        <translation>超期 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="99"/>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="111"/>
        <source>belongs to %1</source>
        <translation>应由%1办理</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="116"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="276"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="316"/>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="118"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="278"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="318"/>
        <source>not resolved</source>
        <translation>未解决</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="123"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="313"/>
        <source>+%1 days</source>
        <translation>延长 %1 天</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="140"/>
        <source>Deadline %1 (%2)</source>
        <translation>办理时限 %1（%2）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="152"/>
        <source>with %1</source>
        <translation>承办：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="155"/>
        <source>(%1 waiting to sync)</source>
        <translation>（%1 等待同步）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="162"/>
        <source>sent back %1 time(s)</source>
        <translation>退单 %1 次</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_history.py" line="164"/>
        <source>reopened %1 time(s)</source>
        <translation>重办 %1 次</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="35"/>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="49"/>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="50"/>
        <source>Called back</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="58"/>
        <source>Basically satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="59"/>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="63"/>
        <source>Outside its area</source>
        <translation>不在辖区</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="67"/>
        <source>Accept (受理)</source>
        <translation>受理</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="68"/>
        <source>On the spot… (即办)</source>
        <translation>即办…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="69"/>
        <source>Dispatch… (派单)</source>
        <translation>派单…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="70"/>
        <source>Extend… (延期)</source>
        <translation>延期…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="71"/>
        <source>Reassign… (改派)</source>
        <translation>改派…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="72"/>
        <source>Merge… (合并)</source>
        <translation>合并…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="73"/>
        <source>Call-back… (回访)</source>
        <translation>电话回访…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="84"/>
        <source>step waiting: %1</source>
        <translation>待同步：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="102"/>
        <source>Registered on</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="103"/>
        <source>Community / grid</source>
        <translation>社区 / 网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="104"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="105"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="106"/>
        <source>Department</source>
        <translation>承办部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="107"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="109"/>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="212"/>
        <source>Overdue: past its deadline and not closed</source>
        <translation>超期：已过办理时限仍未办结</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="214"/>
        <source>Sent back twice or more: the supervisor decides</source>
        <translation>退单两次及以上：由主管督办</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="228"/>
        <source>on the spot</source>
        <translation>即办</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="235"/>
        <source>overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="260"/>
        <source>Department: %1</source>
        <translation>承办部门：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="263"/>
        <source>Deadline: %1</source>
        <translation>办理时限：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="266"/>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="269"/>
        <source>Sent back %1 times</source>
        <translation>已退单 %1 次</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="273"/>
        <source>Resident: %1, %2</source>
        <translation>居民评价：%1，%2</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="285"/>
        <source>Merged into the request of %1</source>
        <translation>已合并到 %1 登记的诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="290"/>
        <source>History</source>
        <translation>办理经过</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_board_model.py" line="311"/>
        <source>whose: %1</source>
        <translation>应属：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="42"/>
        <source>Accept the request (受理)</source>
        <translation>受理诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="43"/>
        <source>Resolved on the spot (即办)</source>
        <translation>即办（当场解决）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="44"/>
        <source>Dispatch to a department (派单)</source>
        <translation>派单到承办部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="45"/>
        <source>Extend the deadline (延期)</source>
        <translation>延长办理时限</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="46"/>
        <source>Reassign to another department (改派)</source>
        <translation>改派到其他部门</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="47"/>
        <source>Merge into an earlier request (合并)</source>
        <translation>合并到先前的诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="48"/>
        <source>Call-back by phone (电话回访)</source>
        <translation>电话回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="51"/>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="56"/>
        <source>A note for the record (optional)</source>
        <translation>备注（选填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="52"/>
        <source>What was done on the spot (required)</source>
        <translation>当场做了什么（必填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="53"/>
        <source>What the department should know (optional)</source>
        <translation>需要承办部门了解的情况（选填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="54"/>
        <source>Why the deadline is extended (required)</source>
        <translation>延期原因（必填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="55"/>
        <source>Why it goes to another department (required)</source>
        <translation>改派原因（必填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="57"/>
        <source>What the resident said (optional)</source>
        <translation>居民的意见（选填）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="105"/>
        <source>&amp;Days:</source>
        <translation>天数(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="107"/>
        <source>Deadline now:</source>
        <translation>现办理时限：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="115"/>
        <source>&amp;Into:</source>
        <translation>合并到(&amp;I)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="123"/>
        <source>&amp;Note:</source>
        <translation>说明(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="151"/>
        <source>Choose a department…</source>
        <translation>请选择承办部门…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="156"/>
        <source>&amp;Department:</source>
        <translation>承办部门(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="157"/>
        <source>Deadline:</source>
        <translation>办理时限：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="166"/>
        <source>%1 (%2 days, %3)</source>
        <translation>%1（%2 天，%3）</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="175"/>
        <source>&amp;Yes</source>
        <translation>是(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="176"/>
        <source>N&amp;o</source>
        <translation>否(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="187"/>
        <source>&amp;Satisfied</source>
        <translation>满意(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="188"/>
        <source>&amp;Basically satisfied</source>
        <translation>基本满意(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/request_dialogs.py" line="189"/>
        <source>&amp;Dissatisfied</source>
        <translation>不满意(&amp;D)</translation>
    </message>
</context>
<context>
    <name>review</name>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="18"/>
        <source>To review</source>
        <translation>待审</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="19"/>
        <source>Approved</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="20"/>
        <source>Returned for correction</source>
        <translation>退回修改</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="21"/>
        <source>Questioned</source>
        <translation>存疑</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="22"/>
        <source>Corrected</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="24"/>
        <source>Waiting to sync</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="27"/>
        <source>Approve</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="28"/>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="29"/>
        <source>Question</source>
        <translation>存疑</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="30"/>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="31"/>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="32"/>
        <source>Corrected by the worker</source>
        <translation>网格员已更正</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="36"/>
        <source>Information incomplete</source>
        <translation>信息不全</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="37"/>
        <source>People do not match</source>
        <translation>人员不符</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="38"/>
        <source>Time or place doubtful</source>
        <translation>时间地点存疑</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="39"/>
        <source>Request not recorded</source>
        <translation>诉求未登记</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="40"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="44"/>
        <source>Time of the visit</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="45"/>
        <location filename="../../gridworker/ui/review/queue_model.py" line="39"/>
        <source>Outcome</source>
        <translation>走访结果</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="46"/>
        <source>People seen</source>
        <translation>见到的人</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="54"/>
        <source>Form too quick</source>
        <translation>填写过快</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="55"/>
        <source>Rapid visits</source>
        <translation>走访过密</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="56"/>
        <source>Entered late</source>
        <translation>补录过晚</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="57"/>
        <source>Off hours</source>
        <translation>非工作时段</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="58"/>
        <source>Same notes</source>
        <translation>备注雷同</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="59"/>
        <source>Not home again</source>
        <translation>多次不在家</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="60"/>
        <source>Care visit overdue</source>
        <translation>关爱走访超期</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="64"/>
        <source>Random sample</source>
        <translation>随机抽取</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="65"/>
        <source>Flagged visit</source>
        <translation>有标记的走访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="66"/>
        <source>New worker</source>
        <translation>新网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="69"/>
        <source>To call</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="71"/>
        <source>Confirmed</source>
        <translation>属实</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="72"/>
        <source>Denied</source>
        <translation>不属实</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/labels.py" line="73"/>
        <source>Unreachable</source>
        <translation>无法联系</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="50"/>
        <source>Reviewer</source>
        <translation>审核人</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="61"/>
        <source>Fields to correct:</source>
        <translation>需要改的项：</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="68"/>
        <source>changed nothing: the visit had been corrected meanwhile</source>
        <translation>未生效：这条走访当时已被更正</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="78"/>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="82"/>
        <source>form open %1 s</source>
        <translation>表单用时 %1 秒</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="89"/>
        <location filename="../../gridworker/ui/review/queue_model.py" line="41"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="95"/>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="96"/>
        <source>seen</source>
        <translation>已见到</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="96"/>
        <source>not seen</source>
        <translation>未见到</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="104"/>
        <location filename="../../gridworker/ui/review/labels.py" line="47"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="107"/>
        <location filename="../../gridworker/ui/review/labels.py" line="48"/>
        <source>Requests</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="110"/>
        <location filename="../../gridworker/ui/review/labels.py" line="49"/>
        <source>Policies explained</source>
        <translation>讲解的政策</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="113"/>
        <source>What this correction changed</source>
        <translation>这次更正改了什么</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="115"/>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="116"/>
        <source>Before</source>
        <translation>更正前</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="117"/>
        <source>After</source>
        <translation>更正后</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="130"/>
        <source>Nothing the form shows was changed.</source>
        <translation>表单上的内容都没有变。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="132"/>
        <source>Activity</source>
        <translation>审核记录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="136"/>
        <source>No review yet.</source>
        <translation>还没有审核。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/detail.py" line="153"/>
        <source>Choose a visit to see it in full.</source>
        <translation>选中一条走访，这里显示详情。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review_words.py" line="33"/>
        <source>Returned for correction: %1</source>
        <translation>退回修改：%1</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="73"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="74"/>
        <location filename="../../gridworker/ui/review/queue_model.py" line="38"/>
        <source>Household</source>
        <translation>住户</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="75"/>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="76"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="77"/>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="112"/>
        <location filename="../../gridworker/ui/review/queue_model.py" line="37"/>
        <source>Worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="78"/>
        <source>Visited</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="79"/>
        <source>Drawn as</source>
        <translation>抽取原因</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="80"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="113"/>
        <source>Last 4 weeks</source>
        <translation>近4周</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="114"/>
        <source>Overall</source>
        <translation>累计</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="303"/>
        <source>%1 month %2 day</source>
        <translation>%1月%2日</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="309"/>
        <source>Hello, this is %1 calling. May I ask: did grid worker %2 visit your home on %3? Whom did they meet, and was what you raised recorded? Thank you.</source>
        <translation>您好，我是%1的工作人员。请问网格员%2在%3是否到您家走访？见到了家里哪几位？您反映的事情有没有登记？谢谢您的配合。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="314"/>
        <source>the community work station</source>
        <translation>社区工作站</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/backcheck_page.py" line="317"/>
        <source>the grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_model.py" line="35"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_model.py" line="36"/>
        <source>Community / grid</source>
        <translation>社区 / 网格</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_model.py" line="40"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/queue_model.py" line="173"/>
        <location filename="../../gridworker/ui/review/queue_page.py" line="205"/>
        <source>correction</source>
        <translation>更正</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="50"/>
        <source>The requests board is not part of this version yet.</source>
        <translation>此版本尚未包含诉求看板。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="51"/>
        <source>The requests&apos; rates are not part of this version yet.</source>
        <translation>此版本尚未包含诉求三率。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="52"/>
        <source>The coverage dashboard is not part of this version yet.</source>
        <translation>覆盖统计将在这里显示（此版本尚未包含）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="53"/>
        <source>Export is not part of this version yet.</source>
        <translation>导出将在这里进行（此版本尚未包含）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/window.py" line="54"/>
        <source>The access trail is not part of this version yet.</source>
        <translation>此版本暂不提供访问记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/review/filter_widgets.py" line="15"/>
        <source>Any day</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>server</name>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="63"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="64"/>
        <source>Too many failed sign-ins; try again in {minutes} minutes.</source>
        <translation>登录失败次数过多，请{minutes}分钟后再试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="65"/>
        <source>Sign in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="66"/>
        <source>Your sign-in is no longer valid; sign in again.</source>
        <translation>登录已失效，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="67"/>
        <source>This device was revoked; sign in again.</source>
        <translation>此设备已被停用，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="68"/>
        <source>This account is deactivated.</source>
        <translation>此账号已停用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="70"/>
        <source>This laptop was revoked; its data was removed.</source>
        <translation>这台电脑已被停用，其中的数据已删除。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="71"/>
        <source>This laptop was handed over, but some work is still unsent; it is removed once sent.</source>
        <translation>这台电脑已移交，但还有工作未发送；发送完成后将删除其中的数据。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="74"/>
        <source>This laptop was not told to remove its data.</source>
        <translation>服务器并未要求这台电脑删除数据。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="75"/>
        <source>Unknown wipe mode {wipe}: use lost or handover.</source>
        <translation>未知的清除方式 {wipe}：请用 lost（丢失）或 handover（移交）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="76"/>
        <source>This sign-in belongs to another laptop; sign in again.</source>
        <translation>此登录属于另一台电脑，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="77"/>
        <source>The recovery key is damaged; set the PIN again.</source>
        <translation>恢复密钥已损坏，请重新设置 PIN 码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="78"/>
        <source>The server holds no recovery key for this laptop: only a laptop of yours that was not revoked and sent one gets it back. Ask your office for help.</source>
        <translation>服务器上没有这台电脑的恢复密钥：只有您本人未被停用、且已上传过恢复密钥的电脑才能取回。请联系单位协助。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="83"/>
        <source>Your sign-in expired; sign in again.</source>
        <translation>长时间未同步，登录已过期，请重新登录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="84"/>
        <source>Set your own password before syncing.</source>
        <translation>请先设置您自己的密码，然后再同步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="86"/>
        <source>Choose a password other than the current one.</source>
        <translation>请设置一个与当前密码不同的密码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="87"/>
        <source>The {field} holds a control character ({char} at position {position}); remove it.</source>
        <translation>{field} 中含有控制字符（第 {position} 个字符 {char}），请删除后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="91"/>
        <source>The user name {username} is taken.</source>
        <translation>用户名 {username} 已被使用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="92"/>
        <source>This user name cannot be used: enter visible letters and digits, at most 64.</source>
        <translation>无法使用此用户名：请输入可见的字母和数字，最多 64 个字符。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="96"/>
        <source>Update Gridworker to sync; unsent work is kept.</source>
        <translation>客户端版本过旧，请升级后再同步；未同步的数据会保留。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="97"/>
        <source>The server is older than this app; unsent work is kept.</source>
        <translation>服务器版本较旧，暂不能同步；未同步的数据会保留。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="98"/>
        <source>The server is busy; retry shortly.</source>
        <translation>服务器繁忙，请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="99"/>
        <source>The database is unavailable; retry shortly.</source>
        <translation>数据库暂时不可用，请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="100"/>
        <source>The server cannot reach its database; retry shortly.</source>
        <translation>服务器暂时连不上数据库，请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="101"/>
        <source>The request is too large.</source>
        <translation>请求过大。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="102"/>
        <source>The request body is damaged.</source>
        <translation>请求数据不完整或已损坏。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="103"/>
        <source>The request is invalid.</source>
        <translation>请求内容不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="104"/>
        <source>The request names a parameter the server does not know.</source>
        <translation>请求中含有服务器不认识的参数。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="105"/>
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="106"/>
        <source>The server could not read the request.</source>
        <translation>服务器无法读取此请求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="107"/>
        <source>The server does not know this address.</source>
        <translation>服务器上没有这个地址。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="108"/>
        <source>The server does not allow this here.</source>
        <translation>服务器不允许此操作。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="109"/>
        <source>The server refused the request.</source>
        <translation>服务器拒绝了此请求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="111"/>
        <source>The token belongs to another device.</source>
        <translation>此令牌属于另一台设备。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="112"/>
        <source>The server was restored from a backup; syncing again.</source>
        <translation>服务器数据已从备份恢复，正在重新同步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="113"/>
        <source>Sequence numbers must increase.</source>
        <translation>批次中的序号必须递增且不重复。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="114"/>
        <source>This device&apos;s database was restored from a backup; it must register again.</source>
        <translation>此设备的数据库是从备份恢复的，需要重新登记设备。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="117"/>
        <source>A gap in the sequence; nothing was applied.</source>
        <translation>同步序号不连续，本批未应用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="119"/>
        <source>Cannot reach the server: {error}.</source>
        <translation>无法连接服务器：{error}</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="120"/>
        <source>The connection broke: {error}.</source>
        <translation>连接中断：{error}</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="121"/>
        <source>The server&apos;s answer is incomplete.</source>
        <translation>服务器的回应不完整。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="122"/>
        <source>This address is not a Gridworker server.</source>
        <translation>此地址不是网格员工作台服务器。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="123"/>
        <source>This address is not a Gridworker server (sign in to the public network first?).</source>
        <translation>此地址不是网格员工作台服务器（可能需要先登录公共网络）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="126"/>
        <source>This address is not a Gridworker server (HTTP {status}).</source>
        <translation>此地址不是网格员工作台服务器（HTTP {status}）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="127"/>
        <source>Server error {status}.</source>
        <translation>服务器错误 {status}</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="128"/>
        <source>This database belongs to another worker.</source>
        <translation>这个数据库属于另一位网格员。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="129"/>
        <source>A sync is already running.</source>
        <translation>已在同步中。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="131"/>
        <source>The household does not exist on the server.</source>
        <translation>服务器上没有这一户。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="132"/>
        <source>This household is not in your grid.</source>
        <translation>这一户不在您的网格内。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="134"/>
        <source>A department does not see residents&apos; ID numbers or phones.</source>
        <translation>职能部门不能查看居民的身份证号或电话。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="135"/>
        <source>The access event id is already used.</source>
        <translation>该访问记录编号已被使用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="136"/>
        <source>The page cursor is not one this server gave.</source>
        <translation>分页标记无效（不是本服务器给出的）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="137"/>
        <source>A reveal names the household and the field.</source>
        <translation>查看记录须写明住户和字段。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="138"/>
        <source>Unknown action {action}.</source>
        <translation>未知的操作 {action}。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="139"/>
        <source>The visit to correct does not exist.</source>
        <translation>要更正的走访记录不存在。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="140"/>
        <source>This member id is already used.</source>
        <translation>成员编号已被使用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="141"/>
        <source>The member does not exist on the server.</source>
        <translation>服务器上没有这位成员。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="142"/>
        <source>The request does not exist on the server.</source>
        <translation>服务器上没有这条诉求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="144"/>
        <source>This request is not in your area or not dispatched to you.</source>
        <translation>此诉求不在您的辖区内，或未派给您的单位。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="145"/>
        <source>This step of a request is unknown to the server.</source>
        <translation>服务器不认识此诉求处理步骤。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="146"/>
        <source>Your role cannot take this step on a request.</source>
        <translation>您的角色不能对诉求执行此操作。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="147"/>
        <source>The request&apos;s status no longer allows this step.</source>
        <translation>诉求当前状态已不允许此操作。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="148"/>
        <source>A note holds at most {limit} characters.</source>
        <translation>说明最多 {limit} 个字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="149"/>
        <source>This step needs a note saying what was done or why.</source>
        <translation>此操作需要填写说明：做了什么或原因。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="150"/>
        <source>A bounce needs its reason: not ours, or outside our area.</source>
        <translation>退单须说明原因：不属本单位职责，或不在本单位辖区。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="151"/>
        <source>A call-back needs both answers: whether it was resolved, and how satisfied the resident is.</source>
        <translation>回访须填写两项：问题是否解决，以及居民是否满意。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="154"/>
        <source>An extension is 1 to 365 days.</source>
        <translation>延期天数应为 1 至 365 天。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="155"/>
        <source>Choose the department to dispatch the request to.</source>
        <translation>请选择要派单的部门。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="156"/>
        <source>No such department in the request&apos;s street.</source>
        <translation>诉求所在街道没有这个部门。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="157"/>
        <source>The request is already dispatched to this department.</source>
        <translation>此诉求已派给该部门。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="158"/>
        <source>Merge only into an earlier request of the same household or address that is still open.</source>
        <translation>只能合并到同一住户或同一地址的、较早且未合并或撤销的诉求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="161"/>
        <source>A department needs a code and a name.</source>
        <translation>部门须有编码和名称。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="162"/>
        <source>An org unit with this code exists.</source>
        <translation>已有使用此编码的组织单位。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="163"/>
        <source>A department user belongs to a department, and a department holds only department users.</source>
        <translation>部门用户须属于某个部门，部门下也只能有部门用户。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="166"/>
        <source>An API key needs a name of at most 100 characters.</source>
        <translation>API 密钥须有名称，最多 100 个字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="167"/>
        <source>No such API key.</source>
        <translation>没有这个 API 密钥。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="168"/>
        <source>This API key is unknown or revoked.</source>
        <translation>此 API 密钥无效或已被吊销。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="169"/>
        <source>This external event id was already used for another update.</source>
        <translation>此外部事件编号已用于另一条更新。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="170"/>
        <source>The request or the external id is linked to another one.</source>
        <translation>此诉求或外部编号已与其他记录关联。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="171"/>
        <source>Rate a request once it is resolved.</source>
        <translation>诉求办结后才能评价。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="172"/>
        <source>The card record id is already used.</source>
        <translation>该联系卡编号已用于另一条记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="173"/>
        <source>A worker hands out their own card only.</source>
        <translation>网格员只能发放本人的联系卡。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="174"/>
        <source>The household was removed by a supervisor; this change was not applied.</source>
        <translation>该户已被主管删除，此修改未保存。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="177"/>
        <source>The household moved to another grid; this change was not applied.</source>
        <translation>该户已调整到其他网格，此修改未保存。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="180"/>
        <source>The visit was already corrected.</source>
        <translation>该走访已被更正过，请更正最新的记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="181"/>
        <source>Only the worker who recorded a visit can correct it.</source>
        <translation>只有记录该走访的网格员本人可以更正。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="182"/>
        <source>A supervisor corrects a visit in review, not by amending it.</source>
        <translation>督导员应在审核中更正走访，不能直接修改走访记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="185"/>
        <source>This change&apos;s id was already used for other content; it was not applied.</source>
        <translation>此修改的编号已被其他内容使用，未予应用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="188"/>
        <source>The server could not process this change.</source>
        <translation>服务器无法处理此修改。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="189"/>
        <source>A request&apos;s status is set by the server.</source>
        <translation>诉求状态由服务器办理流程决定，客户端不能直接修改。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="190"/>
        <source>The request is already being handled and cannot be cancelled.</source>
        <translation>诉求已在办理或已办结，不能撤销。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="191"/>
        <source>The card&apos;s worker does not look after this household&apos;s grid.</source>
        <translation>这张联系卡的网格员不负责该户所在网格。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="194"/>
        <source>Unknown user.</source>
        <translation>用户不存在。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="195"/>
        <source>Unknown mutation kind: {kind}.</source>
        <translation>不支持的操作类型：{kind}。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="196"/>
        <source>This field cannot be changed: {field}.</source>
        <translation>不能修改字段：{field}。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="197"/>
        <source>The change contains a NUL character.</source>
        <translation>数据中含有空字符。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="198"/>
        <source>The change is nested too deeply.</source>
        <translation>此修改的嵌套层级过深。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="199"/>
        <source>The change is malformed ({where}).</source>
        <translation>数据格式不正确（{where}）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="200"/>
        <source>The time {when} is out of range: check the clock.</source>
        <translation>时间不正确（{when}），请检查电脑时钟。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="201"/>
        <source>Invalid outcome.</source>
        <translation>走访结果不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="202"/>
        <source>Invalid request category or urgency.</source>
        <translation>诉求类别或紧急程度不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="203"/>
        <location filename="../../gridworker/ui/i18n.py" line="212"/>
        <source>Notes are too long.</source>
        <translation>备注过长。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="204"/>
        <source>The request description is too long.</source>
        <translation>诉求描述过长。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="205"/>
        <source>Invalid relation.</source>
        <translation>与户主关系不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="206"/>
        <source>Invalid sex.</source>
        <translation>性别不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="207"/>
        <source>Invalid phone number.</source>
        <translation>手机号码不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="208"/>
        <source>The photo is not valid base64.</source>
        <translation>照片数据不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="209"/>
        <source>The photo is larger than 64 KB.</source>
        <translation>照片过大（最多64 KB）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="210"/>
        <source>The photo must be a JPEG or PNG image.</source>
        <translation>照片须为JPEG或PNG格式。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="211"/>
        <source>A value is not valid ({field}).</source>
        <translation>数据不正确（{field}）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="213"/>
        <source>Unknown care tag.</source>
        <translation>未知的人员标签。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="214"/>
        <source>The visit interval must be 1 to 365 days.</source>
        <translation>走访周期应为1至365天。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="216"/>
        <source>Someone else changed the same field; your value was kept and theirs recorded for review.</source>
        <translation>他人也修改了相同内容：已按您的修改保存，原值留待核查。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="219"/>
        <source>A visit with this id exists with other content; kept for review.</source>
        <translation>同一走访编号已存在不同内容，已留待主管核查。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="221"/>
        <source>Only a station, a supervisor or an admin reviews visits.</source>
        <translation>只有工作站、街道主管或管理员可以审核走访记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="222"/>
        <source>This household is not in your area.</source>
        <translation>该住户不在您的管辖范围内。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="223"/>
        <source>The visit to review does not exist in this household.</source>
        <translation>要审核的走访记录在该住户中不存在。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="224"/>
        <source>This review&apos;s id was already used for another review.</source>
        <translation>该审核记录的编号已被另一条审核使用。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="225"/>
        <source>Unknown review action.</source>
        <translation>未知的审核操作。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="226"/>
        <source>A comment holds at most {limit} characters.</source>
        <translation>意见最多 {limit} 个字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="227"/>
        <source>A return needs one of the listed reasons.</source>
        <translation>退回修改须选择一项原因。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="228"/>
        <source>A return for another reason, a reopening or a comment needs a text.</source>
        <translation>以“其他”原因退回、重新打开或添加意见时须填写说明。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="231"/>
        <source>Only a return carries a reason.</source>
        <translation>只有退回修改需要选择原因。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="232"/>
        <source>Only a return marks fields to correct.</source>
        <translation>只有退回修改可以标记需更正的项目。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="233"/>
        <source>A marked field is not one of the visit form&apos;s.</source>
        <translation>标记的项目不属于走访表单。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="234"/>
        <source>The visit&apos;s review state no longer allows this; your review was kept in its activity.</source>
        <translation>该走访记录当前的审核状态已不允许此操作；您的审核已记入其审核记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="237"/>
        <source>The worker corrected this visit meanwhile; review the correction (visit {amended_by}).</source>
        <translation>网格员已更正该走访记录，请审核更正后的记录（第 {amended_by} 号）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="240"/>
        <source>No such street in your area.</source>
        <translation>您的管辖范围内没有该街道。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="241"/>
        <source>A street setting is not valid: {field}.</source>
        <translation>街道设置有误：{field}。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="242"/>
        <source>The request carried no file; choose the spreadsheet again.</source>
        <translation>请求中没有文件，请重新选择表格。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="244"/>
        <source>No such grid in your area.</source>
        <translation>没有这个网格，或不在您的管辖范围。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="245"/>
        <source>No org unit with code {code}.</source>
        <translation>没有编码为 {code} 的组织单位。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="246"/>
        <source>No such device.</source>
        <translation>没有这台设备。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="247"/>
        <source>Not a role.</source>
        <translation>没有这个角色。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="257"/>
        <source>The back-check does not exist on the server.</source>
        <translation>服务器上没有这条回访抽查。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="258"/>
        <source>Only a station or a supervisor records a back-check.</source>
        <translation>只有工作站或街道主管可以登记回访结果。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="259"/>
        <source>A back-check of your own visit is made by someone else.</source>
        <translation>对您本人走访的回访须由他人进行。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="260"/>
        <source>This back-check was already recorded as confirmed or denied; it cannot change.</source>
        <translation>这条回访已登记为属实或不属实，不能再更改。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="263"/>
        <source>A week&apos;s back-checks are drawn once the week is over.</source>
        <translation>一周结束后才能抽取该周的回访。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="85"/>
        <source>The password needs at least {min} characters.</source>
        <translation>密码至少需要 {min} 个字符。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="248"/>
        <source>Give the user&apos;s org unit.</source>
        <translation>请指定用户所属的组织单位。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="249"/>
        <source>{code} is not a grid.</source>
        <translation>{code} 不是网格。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="250"/>
        <source>{username} is not a worker.</source>
        <translation>{username} 不是网格员。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="251"/>
        <source>The request cannot change to this status now.</source>
        <translation>诉求当前不能转为此状态。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="252"/>
        <source>The database already holds data.</source>
        <translation>数据库中已有数据。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="253"/>
        <source>The article is invalid.</source>
        <translation>文章内容不正确。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="254"/>
        <source>No such article.</source>
        <translation>没有这篇文章。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/i18n.py" line="255"/>
        <source>The text changed; raise its version above the published one.</source>
        <translation>内容已修改，请将版本号调高到已发布版本之上。</translation>
    </message>
</context>
<context>
    <name>store</name>
    <message>
        <location filename="../../gridworker/store/schema.py" line="48"/>
        <source>This database ({path}) was written by a newer version of Gridworker (schema {found}; this version knows up to {head}). Install the newer version; the database has not been changed.</source>
        <translation>此数据库（{path}）由较新版本的 Gridworker 写入（数据结构版本 {found}；本版本最高只支持 {head}）。请安装新版本；数据库未作任何更改。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/schema.py" line="53"/>
        <source>The disk is full, so nothing was saved. Free some space and try again; your earlier work is safe.</source>
        <translation>磁盘空间已满，本次内容未保存。请清理出一些空间后重试；之前保存的内容不受影响。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/schema.py" line="57"/>
        <source>The database is busy in another program (is Gridworker open twice?). Nothing was saved; try again.</source>
        <translation>数据库正被其他程序占用（是否同时打开了两个 Gridworker？）。本次内容未保存，请重试。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/schema.py" line="61"/>
        <source>The database file cannot be written (read-only disk or permissions). Nothing was saved.</source>
        <translation>数据库文件无法写入（磁盘为只读，或没有写入权限）。本次内容未保存。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/schema.py" line="64"/>
        <source>The database file is damaged. Nothing was changed. Restore it from the backups folder beside it, or contact support.</source>
        <translation>数据库文件已损坏，未作任何更改。请用同一位置的 backups 文件夹中的备份恢复，或联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/schema.py" line="69"/>
        <source>{path} is not a Gridworker database.</source>
        <translation>{path} 不是 Gridworker 数据库。</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="469"/>
        <source>Syncing… %1/%2</source>
        <translation>正在同步… %1/%2</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="473"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="476"/>
        <source>Offline, retrying at %1</source>
        <translation>离线，%1 重试</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="478"/>
        <source>Sync failed, retrying at %1</source>
        <translation>同步失败，%1 重试</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="482"/>
        <source>Sign in again to sync</source>
        <translation>需要重新登录</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="484"/>
        <source>Update Gridworker to sync</source>
        <translation>需要更新软件</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="486"/>
        <source>Sync stopped: see the details</source>
        <translation>同步已停止，详见提示</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="488"/>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/sync.py" line="489"/>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
</context>
<context>
    <name>unlock</name>
    <message>
        <location filename="../../gridworker/ui/unlock.py" line="70"/>
        <source>The key file of your data ({name}) cannot be read. Ask your office for help.</source>
        <translation>无法读取您数据的密钥文件（{name}）。请联系单位寻求帮助。</translation>
    </message>
</context>
<context>
    <name>validation</name>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="25"/>
        <source>Choose what happened: met, not at home or refused.</source>
        <translation>请选择走访结果：见面、不在家或拒访。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="32"/>
        <source>You met the household: tick at least one member you saw (Space ticks the current one).</source>
        <translation>已与住户见面：请至少勾选一名见到的成员（按空格键可勾选当前成员）。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="35"/>
        <source>Someone ticked as seen is not a member of this household.</source>
        <translation>勾选为“见到”的人中有不属于本户的成员。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="36"/>
        <source>Nobody can be marked as seen when you did not meet the household.</source>
        <translation>未与住户见面时，不能勾选见到的成员。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="26"/>
        <source>Keep this to {limit} characters or fewer (now {length}).</source>
        <translation>请不超过 {limit} 个字（现在 {length} 个）。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="27"/>
        <source>The visit time is in the future; check the date and time.</source>
        <translation>走访时间晚于当前时间，请检查日期和时间。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="28"/>
        <source>The visit time is more than a year ago; check the year.</source>
        <translation>走访时间在一年以前，请检查年份。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="29"/>
        <source>Choose a category for request {number}.</source>
        <translation>请为第 {number} 条诉求选择类别。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="30"/>
        <source>Choose how urgent request {number} is.</source>
        <translation>请选择第 {number} 条诉求的紧急程度。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/visits.py" line="31"/>
        <source>Request {number} is “other”: describe it in a few words.</source>
        <translation>第 {number} 条诉求的类别为“其他”，请简要描述。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="37"/>
        <source>The visit interval is from 1 to 365 days.</source>
        <translation>走访周期应为 1 至 365 天。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="41"/>
        <source>A visit records at most {limit} guide articles (now {count}); untick some.</source>
        <translation>一次走访最多记录 {limit} 篇政策指南文章（现在 {count} 篇），请取消勾选一些。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="44"/>
        <source>A guide article of this visit is not valid; tick it again.</source>
        <translation>本次走访中有一篇政策指南文章无效，请重新勾选。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="88"/>
        <source>Enter an ID number.</source>
        <translation>请输入身份证号。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="89"/>
        <source>An ID number has 18 characters; this one has {length}.</source>
        <translation>身份证号应为 18 位，当前为 {length} 位。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="90"/>
        <source>This is an old 15-digit ID number; enter the 18-digit number.</source>
        <translation>这是旧的 15 位身份证号，请输入 18 位身份证号。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="91"/>
        <source>An ID number has 17 digits followed by a digit or X.</source>
        <translation>身份证号应为 17 位数字，最后一位为数字或 X。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="92"/>
        <source>An ID number cannot start with {code}; the first two digits must be a province code.</source>
        <translation>身份证号不能以 {code} 开头，前两位应为省份代码。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="96"/>
        <source>The birth date in the ID number ({date}) is not a real date.</source>
        <translation>身份证号中的出生日期（{date}）不是有效日期。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="99"/>
        <source>The birth date in the ID number ({date}) is before 1900.</source>
        <translation>身份证号中的出生日期（{date}）早于 1900 年。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="102"/>
        <source>The birth date in the ID number ({date}) is in the future.</source>
        <translation>身份证号中的出生日期（{date}）晚于今天。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="105"/>
        <source>The check character does not match; expected {expected}. Check the number for a typo.</source>
        <translation>校验码不符，应为 {expected}。请检查号码是否输错。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="111"/>
        <source>Enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="112"/>
        <source>Enter an 11-digit mobile number (13x–19x) or a landline such as 0527-84361234.</source>
        <translation>请输入 11 位手机号（13x–19x）或固定电话，例如 0527-84361234。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="118"/>
        <source>A mobile number has 11 digits; this one has {length}.</source>
        <translation>手机号应为 11 位，当前为 {length} 位。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="119"/>
        <source>A mobile number starts with 13 to 19; this one starts with {prefix}.</source>
        <translation>手机号应以 13 至 19 开头，当前以 {prefix} 开头。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="122"/>
        <source>A mobile number can contain only digits; found &quot;{char}&quot;.</source>
        <translation>手机号只能填写数字，不能包含“{char}”。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="127"/>
        <source>A landline number can contain only digits, spaces, dashes and brackets; found &quot;{char}&quot;.</source>
        <translation>固定电话只能包含数字、空格、短横线和括号，不能包含“{char}”。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="131"/>
        <source>The area code {area_code} is not valid; it starts with 0 followed by 2 or 3 digits.</source>
        <translation>区号 {area_code} 无效；区号应为 0 后跟 2 或 3 位数字。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="135"/>
        <source>A landline number has 7 or 8 digits after the area code; this one has {length}.</source>
        <translation>固定电话区号后应为 7 或 8 位数字，当前为 {length} 位。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="139"/>
        <source>A landline number starts with 2 to 9 after the area code; numbers starting with 0 or 1 are area codes, mobiles or service numbers.</source>
        <translation>固定电话号码（区号之后）应以 2～9 开头；以 0 或 1 开头的是区号、手机号或服务号码。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="144"/>
        <source>An extension has 1 to 6 digits, such as 0527-84361234-123.</source>
        <translation>分机号应为 1 至 6 位数字，例如 0527-84361234-123。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="149"/>
        <source>Enter a name.</source>
        <translation>请输入姓名。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="150"/>
        <source>A name can have at most {max_length} characters; this one has {length}.</source>
        <translation>姓名最多 {max_length} 个字，当前为 {length} 个字。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="153"/>
        <source>A name can contain only Chinese or Latin letters and the middle dot (·); &quot;{char}&quot; is not allowed.</source>
        <translation>姓名只能包含汉字、英文字母和间隔号（·），不能包含“{char}”。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="157"/>
        <source>A middle dot (·) must stand between two parts of the name.</source>
        <translation>间隔号（·）只能用在姓名的两部分之间。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="160"/>
        <source>Enter a birth date.</source>
        <translation>请输入出生日期。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="161"/>
        <source>The birth date {date} is before 1900.</source>
        <translation>出生日期 {date} 早于 1900 年。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/validation.py" line="162"/>
        <source>The birth date {date} is in the future.</source>
        <translation>出生日期 {date} 晚于今天。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/base.py" line="21"/>
        <source>This household is no longer in your list.</source>
        <translation>此住户已不在您的列表中。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/visits.py" line="22"/>
        <source>The visit to correct was not found.</source>
        <translation>未找到要更正的走访记录。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/visits.py" line="23"/>
        <source>This visit was already saved with other details (from another window). Close this form; to change the saved visit, correct it from the household&apos;s visit history.</source>
        <translation>该走访已在另一个窗口以不同内容保存。请关闭此表单；如需修改，请在住户的走访记录中更正。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/visits.py" line="28"/>
        <source>This visit has already been corrected; correct the latest correction instead.</source>
        <translation>该走访已更正过，请在最新的更正记录上再次更正。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="37"/>
        <source>This member is no longer in the household.</source>
        <translation>该成员已不在本户中。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="38"/>
        <source>Unknown tag: {tag}.</source>
        <translation>未知标签：{tag}。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="39"/>
        <source>Choose the member&apos;s relation to the head of household.</source>
        <translation>请选择该成员与户主的关系。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/households.py" line="40"/>
        <source>Choose male or female, or leave it empty.</source>
        <translation>请选择男或女，也可以不填。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="38"/>
        <source>The ID number is a man&apos;s; check the sex or the number.</source>
        <translation>身份证号显示为男性，请核对性别或号码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="39"/>
        <source>The ID number is a woman&apos;s; check the sex or the number.</source>
        <translation>身份证号显示为女性，请核对性别或号码。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="47"/>
        <source>The head of household cannot be marked as moved out; make another member the head first.</source>
        <translation>户主不能标记为已迁出，请先将其他成员设为户主。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/cards.py" line="21"/>
        <source>Choose a card layout: single card, A4 sheet or A3 poster.</source>
        <translation>请选择联系卡版式：单张卡片、A4 整版或 A3 海报。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/cards.py" line="22"/>
        <source>Choose at least one household for the cards.</source>
        <translation>请至少选择一户来打印联系卡。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/cards.py" line="14"/>
        <source>The photo is {size} KB; a card photo is at most {limit} KB. Choose a smaller picture.</source>
        <translation>照片大小为 {size} KB，联系卡照片最大为 {limit} KB。请选择更小的图片。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/cards.py" line="17"/>
        <source>The photo must be a JPEG or PNG picture.</source>
        <translation>照片须为 JPEG 或 PNG 格式。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="40"/>
        <source>The ID number says this person was born on {date}; check the birth date or the number.</source>
        <translation>按身份证号，此人出生于 {date}，请核对出生日期或身份证号。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="43"/>
        <source>A household needs a head: make another member the head; this one then becomes “other”.</source>
        <translation>每户须有一名户主：请把其他成员设为户主，此成员随之改为“其他”。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/households.py" line="46"/>
        <source>{name} in this household already has this ID number.</source>
        <translation>本户的 {name} 已使用此身份证号。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/household_edit.py" line="42"/>
        <source>Write the date as YYYY-MM-DD, for example 1956-03-18.</source>
        <translation>日期请按 YYYY-MM-DD 格式填写，例如 1956-03-18。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/my_card.py" line="40"/>
        <source>This file is not a picture that can be used; choose a JPEG or PNG.</source>
        <translation>该文件不是可用的图片，请选择 JPEG 或 PNG 图片。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/outbox.py" line="12"/>
        <source>Only a change the server set aside can be acknowledged.</source>
        <translation>只有服务器未接受的更改才能确认已阅。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/usernames.py" line="36"/>
        <source>Enter a user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/usernames.py" line="37"/>
        <source>A user name can have at most {max_length} characters; this one has {length}.</source>
        <translation>用户名最多 {max_length} 个字符，当前为 {length} 个。</translation>
    </message>
    <message>
        <location filename="../../sync/gridworker_shared/domain/usernames.py" line="40"/>
        <source>A user name cannot contain invisible or control characters ({char} at position {position}).</source>
        <translation>用户名不能包含不可见字符或控制字符（第 {position} 个字符 {char}）。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="21"/>
        <source>This visit is not on this laptop.</source>
        <translation>本机上没有这条走访。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="22"/>
        <location filename="../../gridworker/ui/review/queue_page.py" line="484"/>
        <source>This visit cannot be given that review in its state.</source>
        <translation>这条走访在当前状态下不能这样审核。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="23"/>
        <location filename="../../gridworker/ui/review/queue_page.py" line="482"/>
        <source>A review of this visit is still waiting to be sent.</source>
        <translation>这条走访还有一条审核等待发送。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="24"/>
        <source>A return needs a reason; a reopen, a comment or a return for another reason needs a text.</source>
        <translation>退回须选择原因；重新打开、写意见或以“其他”原因退回，须填写说明。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="27"/>
        <source>This back-check is not on this laptop.</source>
        <translation>本机上没有这条电话回访。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="28"/>
        <source>Choose the call&apos;s result (confirmed, denied or unreachable); a note holds at most 500 characters.</source>
        <translation>请选择回访结果（属实、不属实或无法联系）；备注最多 500 个字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/review.py" line="31"/>
        <source>This back-check already has its result.</source>
        <translation>这条电话回访已经有结果了。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="24"/>
        <source>This request is not on this laptop.</source>
        <translation>本机上没有这条诉求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="25"/>
        <source>A step of this request is still waiting to be sent; sync first, then take the next one.</source>
        <translation>这条诉求还有一步办理等待同步；请先同步，再办理下一步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="28"/>
        <source>Choose the department.</source>
        <translation>请选择承办部门。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="29"/>
        <source>Choose the earlier request to merge this one into.</source>
        <translation>请选择要合并到的先前诉求。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="30"/>
        <source>Say whose matter it is (the department it belongs to).</source>
        <translation>请说明应属哪个部门办理。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="31"/>
        <source>The department named holds at most 100 characters.</source>
        <translation>部门名称最多 100 个字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="34"/>
        <source>This is not a step of a request.</source>
        <translation>这不是诉求的办理环节。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="35"/>
        <source>Your role may not take this step.</source>
        <translation>您的角色不能办理这一步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="36"/>
        <source>This request cannot take that step in its status.</source>
        <translation>这条诉求在当前状态下不能办理这一步。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="37"/>
        <source>A note holds at most 500 characters.</source>
        <translation>说明最多 500 字。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="38"/>
        <source>Write what was done, or why.</source>
        <translation>请填写办理情况或原因。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="39"/>
        <source>Choose why it goes back: not this department&apos;s, or outside its area.</source>
        <translation>请选择退单原因：不属本部门，或不在辖区。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="42"/>
        <source>A call-back needs both answers: resolved or not, and how satisfied.</source>
        <translation>回访需要两项回答：是否解决，以及满意程度。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/requests.py" line="45"/>
        <source>An extension is 1 to 365 days.</source>
        <translation>延期天数为 1 至 365 天。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/request_callback.py" line="42"/>
        <source>Call-back: answer both questions (resolved, and satisfied), or mark that you couldn&apos;t ask.</source>
        <translation>回访：请回答两个问题（是否解决、是否满意），或选择“未能回访”。</translation>
    </message>
    <message>
        <location filename="../../gridworker/store/services/access.py" line="17"/>
        <source>Only an ID number or a phone can be revealed.</source>
        <translation>只能显示身份证号或电话。</translation>
    </message>
</context>
<context>
    <name>wipe</name>
    <message>
        <location filename="../../gridworker/ui/wipe_notice.py" line="21"/>
        <source>This laptop was reported lost, so the data of {user} on it was removed. Nothing you sent to the server is lost: sign in to continue on a laptop your office gave you.</source>
        <translation>这台电脑已被报告丢失，因此其中 {user} 的数据已删除。已发送到服务器的内容都不会丢失：请在单位发给您的电脑上登录继续工作。</translation>
    </message>
    <message>
        <location filename="../../gridworker/ui/wipe_notice.py" line="26"/>
        <source>This laptop was handed over to someone else. Everything {user} recorded on it was sent to the server, then the data on it was removed.</source>
        <translation>这台电脑已移交他人。{user} 在这台电脑上记录的内容已全部发送到服务器，随后电脑上的数据已删除。</translation>
    </message>
</context>
</TS>
