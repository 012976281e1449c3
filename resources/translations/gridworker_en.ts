<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ExportPage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/export_page.py" line="462"/>
        <source>Saved %n row(s) to %1.</source>
        <translation>
            <numerusform>Saved %n row to %1.</numerusform>
            <numerusform>Saved %n rows to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/export_page.py" line="465"/>
        <source>The rows fill %n sheet(s).</source>
        <translation>
            <numerusform>The rows fill %n sheet.</numerusform>
            <numerusform>The rows fill %n sheets.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdPanel</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/household_panel.py" line="174"/>
        <source>every %n day(s)</source>
        <translation>
            <numerusform>every %n day</numerusform>
            <numerusform>every %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/pages.py" line="345"/>
        <source>%n household(s)</source>
        <translation>
            <numerusform>%n household</numerusform>
            <numerusform>%n households</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RequestsBoardPage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/requests_board.py" line="1"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/requests_board.py" line="1"/>
        <source>%n request(s) to supervise</source>
        <translation>
            <numerusform>%n request to supervise</numerusform>
            <numerusform>%n requests to supervise</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewQueuePage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/queue_page.py" line="1"/>
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/review/queue_page.py" line="1"/>
        <source>Approve %n visit(s)?</source>
        <translation>
            <numerusform>Approve %n visit?</numerusform>
            <numerusform>Approve %n visits?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/other_pages.py" line="219"/>
        <source>%n change(s) have not been sent yet.</source>
        <translation>
            <numerusform>%n change has not been sent yet.</numerusform>
            <numerusform>%n changes have not been sent yet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/pages.py" line="239"/>
        <source>You have %n unfinished visit(s), kept as you typed. Resume to finish or discard.</source>
        <translation>
            <numerusform>You have %n unfinished visit, kept as you typed. Resume to finish or discard.</numerusform>
            <numerusform>You have %n unfinished visits, kept as you typed. Resume to finish or discard.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnsentPage</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/other_pages.py" line="54"/>
        <source>%n change(s) kept safely on this laptop, waiting to be sent to the server. Nothing here is lost if the laptop is switched off.</source>
        <translation>
            <numerusform>%n change kept safely on this laptop, waiting to be sent to the server. Nothing here is lost if the laptop is switched off.</numerusform>
            <numerusform>%n changes kept safely on this laptop, waiting to be sent to the server. Nothing here is lost if the laptop is switched off.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/other_pages.py" line="61"/>
        <source>%n change(s) need your attention: the server set them aside; the reason is in the list.</source>
        <translation>
            <numerusform>%n change needs your attention: the server set it aside; the reason is in the list.</numerusform>
            <numerusform>%n changes need your attention: the server set them aside; the reason is in the list.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message numerus="yes">
        <location filename="../../gridworker/ui/labels.py" line="113"/>
        <source>%n day(s) overdue</source>
        <translation>
            <numerusform>%n day overdue</numerusform>
            <numerusform>%n days overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gridworker/ui/labels.py" line="116"/>
        <source>Due in %n day(s)</source>
        <translation>
            <numerusform>Due in %n day</numerusform>
            <numerusform>Due in %n days</numerusform>
        </translation>
    </message>
</context>
</TS>
