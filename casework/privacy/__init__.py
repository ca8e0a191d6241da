"""Personal data (in the spirit of 个人信息保护法 第五十一条, 第五十五条): workers' names, mobile
and ID numbers, addresses and evidence are shown masked where a role does not need them; staff
who do need one click "show", and every such reveal and every evidence download is logged
(who, whose, which field, when, from which page) in an append-only table. The worker's case
page says which teams opened their data; supervisors read the log in the audit browser."""
