/*
 * template.c -- the 2019 and 2021 national templates as data.
 *
 * Read this beside ../shared/spec/TEMPLATES.md: every row, official label,
 * column and identity of the three standard tables is here and nowhere else.
 * Matching keys are written normalised (gd_normalize: ASCII brackets and
 * digits, no white space, no quotes, 、 folded to '.'), so one key covers
 * （一）/(一), 1./1、/1．, “三安全一稳定”/"三安全一稳定"/三安全一稳定 and
 * labels broken over lines.  A text in traditional characters is read
 * through trad.h's table (主動公開 as 主动公开); a few keys keep the forms
 * such pages write with other words (規範性檔案, folded 规范性档案).
 */
#include "internal.h"

/* ---- 二 主动公开政府信息情况 ---- */

static const gd_coldef documents_cols[] = {
    {"issued", "本年制发件数", GD_TPL_2021, 0},
    {"repealed", "本年废止件数", GD_TPL_2021, 0},
    {"in_force", "现行有效件数", GD_TPL_2021, 0},
    {"new_made", "本年新制作数量", GD_TPL_2019, 0},
    {"new_published", "本年新公开数量", GD_TPL_2019, 0},
    {"published_total", "对外公开总数量", GD_TPL_2019, 0},
};
static const gd_coldef decisions_cols[] = {
    {"count", "本年处理决定数量", GD_TPL_2021, 0},
    {"items_prev", "上一年项目数量", GD_TPL_2019, 0},
    {"items_delta", "本年增/减", GD_TPL_2019, 0},
    {"decisions", "处理决定数量", GD_TPL_2019, 0},
};
static const gd_coldef fees_cols[] = {
    {"amount", "本年收费金额（单位：万元）", GD_TPL_2021, 1},
    {"items_prev", "上一年项目数量", GD_TPL_2019, 0},
    {"items_delta", "本年增/减", GD_TPL_2019, 0},
};
static const gd_coldef procurement_cols[] = {
    {"projects", "采购项目数量", GD_TPL_2019, 0},
    {"amount", "采购总金额", GD_TPL_2019, 1},
};

#define COLS(a) a, sizeof a / sizeof a[0]

static const gd_rowdef active_rows[] = {
    {"rules", "规章", GD_TPL_BOTH, COLS(documents_cols), {"规章"}, 0, 0},
    {"normative_documents", "行政规范性文件", GD_TPL_BOTH, COLS(documents_cols),
     {"规范性文件", "規範性檔案", "规范性档案"}, 0, 0},
    {"licensing", "行政许可", GD_TPL_BOTH, COLS(decisions_cols), {"行政许可", "行政許可"}, 0, 0},
    {"other_services", "其他对外管理服务事项", GD_TPL_2019, decisions_cols + 1, 3,
     {"其他对外管理服务"}, 0, 0},
    {"penalties", "行政处罚", GD_TPL_BOTH, COLS(decisions_cols), {"行政处罚", "行政處罰"}, 0, 0},
    {"enforcement", "行政强制", GD_TPL_BOTH, COLS(decisions_cols), {"行政强制", "行政強制"}, 0, 0},
    {"fees", "行政事业性收费", GD_TPL_BOTH, COLS(fees_cols), {"事业性收费", "事業性收費"}, 0, 0},
    {"procurement", "政府集中采购", GD_TPL_2019, COLS(procurement_cols), {"集中采购", "集中採購"}, 0, 0},
};

/* ---- 三 收到和处理政府信息公开申请情况 ---- */

static const gd_coldef applicant_cols[] = {
    {"natural_person", "自然人", GD_TPL_BOTH, 0},
    {"commercial", "商业企业", GD_TPL_BOTH, 0},
    {"research", "科研机构", GD_TPL_BOTH, 0},
    {"public_interest", "社会公益组织", GD_TPL_BOTH, 0},
    {"legal_services", "法律服务机构", GD_TPL_BOTH, 0},
    {"other_org", "其他", GD_TPL_BOTH, 0},
    {"total", "总计", GD_TPL_BOTH, 0},
};

#define R(id, label, tpl, group, flags, ...) \
    {id, label, tpl, COLS(applicant_cols), {__VA_ARGS__}, group, flags}

static const gd_rowdef request_rows[] = {
    R("new", "一、本年新收政府信息公开申请数量", GD_TPL_BOTH, 0, 0, "本年新收"),
    R("carried_over", "二、上年结转政府信息公开申请数量", GD_TPL_BOTH, 0, 0, "上年结转"),
    R("granted", "（一）予以公开", GD_TPL_BOTH, 0, 0, "予以公开"),
    R("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", GD_TPL_BOTH, 0, 0,
      "部分公开"),
    R("withheld.state_secret", "1.属于国家秘密", GD_TPL_BOTH, 3, 0, "国家秘密"),
    R("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", GD_TPL_BOTH, 3, 0, "禁止公开",
      "其他法律"),
    R("withheld.security_stability", "3.危及“三安全一稳定”", GD_TPL_BOTH, 3, 0, "三安全一稳定",
      "国家安全"),
    R("withheld.third_party_rights", "4.保护第三方合法权益", GD_TPL_BOTH, 3, 0, "第三方合法权益",
      "保护第三方"),
    R("withheld.internal_affairs", "5.属于三类内部事务信息", GD_TPL_BOTH, 3, 0, "内部事务",
      "三类内容事务"),
    R("withheld.process_info", "6.属于四类过程性信息", GD_TPL_BOTH, 3, 0, "过程性"),
    R("withheld.enforcement_file", "7.属于行政执法案卷", GD_TPL_BOTH, 3, 0, "执法案卷"),
    R("withheld.inquiry", "8.属于行政查询事项", GD_TPL_BOTH, 3, 0, "行政查询", "查询事项"),
    R("unable.not_held", "1.本机关不掌握相关政府信息", GD_TPL_BOTH, 4, 0, "不掌握"),
    R("unable.needs_creation", "2.没有现成信息需要另行制作", GD_TPL_BOTH, 4, 0, "另行制作",
      "没有现成信息"),
    R("unable.unclear", "3.补正后申请内容仍不明确", GD_TPL_BOTH, 4, 0, "不明确", "补正后申请"),
    R("not_processed.petition", "1.信访举报投诉类申请", GD_TPL_BOTH, 5, 0, "信访举报", "投诉类"),
    R("not_processed.repeated", "2.重复申请", GD_TPL_BOTH, 5, 0, "重复申请"),
    R("not_processed.publication", "3.要求提供公开出版物", GD_TPL_BOTH, 5, 0, "公开出版物"),
    R("not_processed.excessive", "4.无正当理由大量反复申请", GD_TPL_BOTH, 5, 0, "大量反复"),
    R("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", GD_TPL_BOTH, 5, 0,
      "重新出具", "确认或重新", "要求行政机关确认"),
    R("other.no_correction",
      "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", GD_TPL_2021, 6, 0,
      "逾期不补正", "申请人无正当理由"),
    R("other.unpaid_fee",
      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", GD_TPL_2021,
      6, 0, "缴纳费用", "收费通知", "逾期未缴费", "逾期未按收费"),
    /* "3.其他" says nothing by itself: it is this row only inside （六）. */
    R("other.other", "3.其他", GD_TPL_2021, 6, GD_ROW_EXACT | GD_ROW_NEEDS_GROUP, "其他"),
    /* In 2019 （六）其他处理 is one data row; in 2021 it is only a caption. */
    R("other.all", "（六）其他处理", GD_TPL_2019, 6, GD_ROW_GROUP, "其他处理"),
    R("total", "（七）总计", GD_TPL_BOTH, 0, 0, "(七)总计", "七.总计"),
    R("carried_forward", "四、结转下年度继续办理", GD_TPL_BOTH, 0, 0, "结转下年"),
};

/* ---- 四 政府信息公开行政复议、行政诉讼情况 ---- */

static const gd_coldef outcome_cols[] = {
    {"upheld", "结果维持", GD_TPL_BOTH, 0},
    {"corrected", "结果纠正", GD_TPL_BOTH, 0},
    {"other", "其他结果", GD_TPL_BOTH, 0},
    {"pending", "尚未审结", GD_TPL_BOTH, 0},
    {"total", "总计", GD_TPL_BOTH, 0},
};

static const gd_rowdef review_rows[] = {
    {"review", "行政复议", GD_TPL_BOTH, COLS(outcome_cols), {"行政复议"}, 0, 0},
    {"litigation_direct", "行政诉讼·未经复议直接起诉", GD_TPL_BOTH, COLS(outcome_cols),
     {"未经复议"}, 0, 0},
    {"litigation_after_review", "行政诉讼·复议后起诉", GD_TPL_BOTH, COLS(outcome_cols),
     {"复议后起诉"}, 0, 0},
};

static const gd_tabledef tables[GD_NTABLES] = {
    {"active", "二、主动公开政府信息情况", COLS(active_rows)},
    {"requests", "三、收到和处理政府信息公开申请情况", COLS(request_rows)},
    {"reviews", "四、政府信息公开行政复议、行政诉讼情况", COLS(review_rows)},
};

const gd_tabledef *gd_table_def(gd_table_id t)
{
    return (unsigned)t < GD_NTABLES ? &tables[t] : NULL;
}

/* ---- Group captions of table 三: （三）…（六） ---- */

const gd_group_caption gd_request_groups[] = {
    {3, "(三)", "不予公开", "（三）不予公开"},
    {4, "(四)", "无法提供", "（四）无法提供"},
    {5, "(五)", "不予处理", "（五）不予处理"},
    {6, "(六)", "其他处理", "（六）其他处理"},
    {0, NULL, NULL, NULL},
};

/* Printed over the result rows, the terms and target of requests.column_total;
 * a caption only (govdisclose/labels.py builds column headings from it). */
const char gd_results_caption[] = "三、本年度办理结果";

int gd_row_captions(gd_table_id t, unsigned row, const char *out[2])
{
    int n = 0;
    if (t != GD_TABLE_REQUESTS || row < RQ_GRANTED || row > RQ_TOTAL)
        return 0;
    out[n++] = gd_results_caption;
    for (size_t k = 0; k < GD_MAX_GROUPS && gd_request_groups[k].marker; k++)
        if (gd_request_groups[k].group == request_rows[row].group &&
            strcmp(gd_request_groups[k].label, request_rows[row].label) != 0)
            out[n++] = gd_request_groups[k].label;
    return n;
}

/* ---- Identities (TEMPLATES.md §6.1, §6.2) ---- */

static const gd_identity identities[] = {
    {"requests.balance", GD_TABLE_REQUESTS, GD_EACH_COLUMN, RQ_TOTAL, 3,
     {RQ_NEW, RQ_CARRIED_OVER, RQ_CARRIED_FORWARD}, {1, 1, -1},
     "一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理"},
    {"requests.column_total", GD_TABLE_REQUESTS, GD_EACH_COLUMN, RQ_TOTAL, 22,
     {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23},
     {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
     "（七）总计 = 本年度办理结果各行之和"},
    {"requests.row_total", GD_TABLE_REQUESTS, GD_EACH_ROW, 6, 6,
     {0, 1, 2, 3, 4, 5}, {1, 1, 1, 1, 1, 1},
     "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他"},
    {"reviews.total", GD_TABLE_REVIEWS, GD_EACH_ROW, 4, 4,
     {0, 1, 2, 3}, {1, 1, 1, 1},
     "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"},
};

const gd_identity *gd_identities(size_t *count)
{
    if (count)
        *count = sizeof identities / sizeof identities[0];
    return identities;
}
